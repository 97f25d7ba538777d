"""The proof every batch test ends with: each selected card came out of a printer exactly once,
and the database agrees with the printers and with the blank-card ledger."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, func, select

from registry import batches, stock
from registry.batch_selection import Selection
from registry.models import Card, PrintAttempt, StockMovement
from registry.models.batch import PRINTED, SKIPPED, BatchItem
from registry.models.issuance import ATTEMPT_HELD, ATTEMPT_PRINTING

from .conftest import SUPERVISOR, Town


def make_batch(town: Town, selection: Selection, reason: str = "new card layout") -> int:
    with town.db.write() as session:
        return batches.create(session, SUPERVISOR, selection, reason=reason,
                              office_code="33.14").id


def to_print(town: Town, batch_id: int) -> list[int]:
    with town.db.read() as session:
        return list(session.scalars(select(BatchItem.id).where(
            BatchItem.batch_id == batch_id, BatchItem.state != SKIPPED).order_by(BatchItem.id)))


def assert_exactly_once(town: Town, batch_id: int, printed: Counter, *, blanks_before: int,
                        spoiled: int) -> None:
    """``printed``: card id -> times it came out good, from the printers' logs."""
    wanted = to_print(town, batch_id)
    assert printed == Counter(dict.fromkeys(wanted, 1)), "every card exactly once"
    with town.db.read() as session:
        rows = session.execute(select(BatchItem.state, BatchItem.card_id).where(
            BatchItem.id.in_(wanted))).all()
        assert {state for state, _ in rows} == {PRINTED}
        cards = session.scalar(select(func.count()).select_from(Card).where(
            Card.id.in_([card for _, card in rows])))
        assert cards == len(wanted) == session.scalar(select(func.count()).select_from(Card))
        open_prints = session.scalar(select(func.count()).select_from(PrintAttempt).where(
            PrintAttempt.state.in_((ATTEMPT_PRINTING, ATTEMPT_HELD))))
        assert open_prints == 0
        kinds = Counter(kind for kind, in session.execute(
            select(StockMovement.kind).where(StockMovement.office_code == "33.14")))
        balance = stock.balance(session, "33.14")
    assert kinds["PRINTED"] == len(wanted) and kinds["SPOILED"] == spoiled
    assert (balance.on_hand, balance.reserved) == (blanks_before - len(wanted) - spoiled, 0)


def virtual_log(*names: str) -> list[dict]:
    """What in-process virtual printers put out, good and spoiled."""
    from drivers.virtual import registry

    return [entry for name in names for entry in registry.get(name).records]


def jobs(entries: list[dict], outcome: str = "printed") -> Counter:
    """Batch card id -> times it came out (job ids are ``batch-<card>-<nonce>``)."""
    return Counter(int(e["job_id"].split("-")[1]) for e in entries if e["outcome"] == outcome)


def run_worker(app, *printers: str, exit_when_idle: bool = True, **settings) -> None:
    """A worker in this process, until no card is left to take."""
    from app.batches.printer_loop import Options
    from app.batches.settings import settings as configured
    from app.batches.worker import Worker

    with app.app_context():
        chosen = configured().but(**{"poll_seconds": 0.02, "fault_poll_seconds": 0.02,
                                     **settings})
        Worker(app, list(printers), Options(exit_when_idle, chosen)).run()


def run_worker_until(app, *printers: str, seconds: float, **settings) -> bool:
    """`run_worker` with --exit-when-idle, stopped after ``seconds`` if it has not ended by
    itself by then (a worker that never runs out of things to do); True when it ended."""
    from app.batches.printer_loop import Options
    from app.batches.settings import settings as configured
    from app.batches.worker import Worker

    with app.app_context():
        chosen = configured().but(**{"poll_seconds": 0.02, "fault_poll_seconds": 0.02,
                                     **settings})
        worker = Worker(app, list(printers), Options(True, chosen))
    thread = threading.Thread(target=worker.run, name="test-worker")
    thread.start()
    thread.join(seconds)
    ended = not thread.is_alive()
    worker.stop.set()
    thread.join()
    return ended


@contextmanager
def counted_statements(target: Any = Engine) -> Iterator[Counter]:
    """SQL statements (BEGIN included) and commits sent through ``target`` (an engine, or by
    default every engine of this process): a figure that, unlike time, does not move with
    the machine's other work."""
    counts: Counter = Counter()

    def statement(*_args: object) -> None:
        counts["sql"] += 1

    def commit(*_args: object) -> None:
        counts["commit"] += 1

    event.listen(target, "before_cursor_execute", statement)
    event.listen(target, "commit", commit)
    try:
        yield counts
    finally:
        event.remove(target, "before_cursor_execute", statement)
        event.remove(target, "commit", commit)
