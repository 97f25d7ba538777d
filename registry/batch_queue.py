"""The queue of batch cards: taking the next card for a printer, and closing it.

Taking a card is one short write transaction (the worker reserves its blank and opens its
print attempt in the same one). On PostgreSQL the next pending row is locked with ``FOR UPDATE
SKIP LOCKED``, so workers on several machines each get a different card without waiting for
each other; on SQLite the write transaction itself is exclusive (``BEGIN IMMEDIATE``), so
reading the next row and marking it taken cannot interleave with another worker. Either way a
card row is ``printing`` for exactly one printer at a time, and the conditional UPDATE on
``state = 'pending'`` refuses a second taker even if a lock was lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Select,
    bindparam,
    case,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Session

from . import audit, batch_selection, batches
from .audit import Actor
from .batch_selection import CARD_SINCE, Skip
from .cards import Recorded
from .errors import ConflictError
from .models import PrintAttempt, Printer, Resident, StockBalance, utcnow
from .models.batch import (
    ACTIVE_SQL,
    CANCELLED,
    FAILED,
    HELD,
    ITEM_CANCELLED,
    PENDING,
    PRINTED,
    PRINTING,
    RUNNING,
    SKIPPED,
    Batch,
    BatchItem,
    BatchPrinter,
)
from .models.issuance import ATTEMPT_FAILED, ATTEMPT_HELD, ATTEMPT_PRINTING, BARU, CETAK_ULANG

SOURCE = "batch"  # PrintAttempt.source of batch cards
CARD_DATA = "card-data"  # the card cannot be drawn from the record: fix the record first
SKIPS_PER_TAKE = 50


@dataclass(frozen=True)
class Claim:
    """A card taken for a printer, with what its print needs (pinned by the take)."""

    item_id: int
    batch_id: int
    nik: str
    office_code: str
    resident_id: int
    reason: str
    photo_id: int | None
    signature_id: int | None
    resident: Any  # the resident's columns as read by the take (like `residents.row`)


@dataclass(frozen=True)
class NoCard:
    """Nothing to take now; ``no_stock``: offices whose running batches wait for blanks."""

    no_stock: tuple[str, ...] = ()


def claim(session: Session, printer_id: int, today: dt.date | None = None) -> Claim | NoCard:
    """Take the next card of the oldest running batch for ``printer_id``: a batch of the
    printer's own office (the blanks in a printer are its office's, and the card draws on the
    batch office's ledger); a printer of no office takes cards of any office."""
    no_stock = []
    for batch_id, office_code, created_at, available in _running(session, printer_id):
        if (available or 0) <= 0:
            if _has_pending(session, batch_id):
                no_stock.append(office_code)
            else:
                batches.finish_when_empty(session, batch_id)
            continue
        taken = _take(session, batch_id, created_at, printer_id, today or dt.date.today())
        if taken is not None:
            row, found = taken
            return Claim(row.item_id, batch_id, found.nik, office_code, found.resident_id,
                         _card_reason(found), found.photo_id, found.signature_id, row)
    return NoCard(tuple(sorted(set(no_stock))))


_BATCHES, _ITEMS, _BALANCES = Batch.__table__, BatchItem.__table__, StockBalance.__table__
_PRINTERS = Printer.__table__
# The statements run for every card, built once with parameters: building one costs more
# than running it.
# A batch is the printer's when it is of the printer's office, or the printer has none.
_PRINTERS_OFFICE = func.coalesce(
    select(_PRINTERS.c.office_code).where(_PRINTERS.c.id == bindparam("p_printer"))
    .scalar_subquery(), _BATCHES.c.office_code) == _BATCHES.c.office_code
_RUNNING = (select(_BATCHES.c.id, _BATCHES.c.office_code, _BATCHES.c.created_at,
                   _BALANCES.c.on_hand - _BALANCES.c.reserved)
            .select_from(_BATCHES.outerjoin(
                _BALANCES, _BALANCES.c.office_code == _BATCHES.c.office_code))
            .where(_BATCHES.c.state == RUNNING, _PRINTERS_OFFICE).order_by(_BATCHES.c.id))
_TAKE = (update(_ITEMS).where(_ITEMS.c.id == bindparam("p_id"), _ITEMS.c.state == PENDING)
         .values(state=PRINTING, printer_id=bindparam("p_printer"), claimed_at=bindparam("p_now"),
                 attempts=_ITEMS.c.attempts + 1, card_reason=bindparam("p_reason"),
                 photo_id=bindparam("p_photo"), signature_id=bindparam("p_signature")))
# Whether another card of the row's batch is still to come out. Written out: SQLAlchemy
# renders RETURNING on SQLite without table names, which inside this subquery would name the
# other row.
_MORE_TO_COME = literal_column(
    "EXISTS (SELECT 1 FROM batch_items AS other WHERE other.batch_id = batch_items.batch_id "
    f"AND other.id != batch_items.id AND other.{ACTIVE_SQL})", Boolean)
_PRINTED = (update(_ITEMS).where(_ITEMS.c.id == bindparam("p_id"), _ITEMS.c.state != PRINTED)
            .values(state=PRINTED, message=None, finished_at=bindparam("p_now"),
                    card_id=bindparam("p_card"))
            .returning(_ITEMS.c.batch_id,  # and the batch's reason, for the audit entry
                       select(_BATCHES.c.reason).where(_BATCHES.c.id == _ITEMS.c.batch_id)
                       .scalar_subquery(), _MORE_TO_COME))


def _running(session: Session, printer_id: int) -> list[Any]:
    """The printer's running batches, oldest first, with their office's blanks available
    (one query)."""
    return session.execute(_RUNNING, {"p_printer": printer_id}).all()


def _has_pending(session: Session, batch_id: int) -> bool:
    return session.scalar(select(BatchItem.id).where(
        BatchItem.batch_id == batch_id, BatchItem.state == PENDING).limit(1)) is not None


@cache
def _next_pending_query() -> Select:
    """Built once (it is the costliest statement to build): the next pending card of batch
    ``:batch_id``, locked, with its resident's columns (what the card is drawn from) and
    facts."""
    items, residents = BatchItem.__table__, Resident.__table__
    return (select(items.c.id.label("item_id"), residents,
                   *batch_selection.derived_fact_columns())
            .select_from(items.join(residents, residents.c.id == items.c.resident_id))
            .where(items.c.batch_id == bindparam("batch_id"), items.c.state == PENDING)
            .order_by(items.c.id).limit(1)
            .with_for_update(skip_locked=True, of=items))


def _next_pending(session: Session, batch_id: int) -> tuple[Any, batch_selection.Facts] | None:
    """The next pending card, locked, with its resident and the facts: one round trip. The
    row has the card row's ``item_id`` and the resident's columns."""
    row = session.execute(_next_pending_query(), {"batch_id": batch_id}).first()
    if row is None:
        return None
    return row, batch_selection.facts_of(row)


def _take(session: Session, batch_id: int, made_at: dt.datetime, printer_id: int,
          today: dt.date) -> tuple[Any, batch_selection.Facts] | None:
    for _ in range(SKIPS_PER_TAKE):
        got = _next_pending(session, batch_id)
        if got is None:
            batches.finish_when_empty(session, batch_id)
            return None
        row, found = got
        item_id = row.item_id
        skip = _recheck(found, made_at, today)
        if skip is not None:
            _skip(session, batch_id, item_id, skip)
            continue
        taken = session.execute(_TAKE, {
            "p_id": item_id, "p_printer": printer_id, "p_now": utcnow(),
            "p_reason": _card_reason(found),
            "p_photo": found.photo_id, "p_signature": found.signature_id})
        if taken.rowcount == 1:
            return got
    return None


def _card_reason(found: batch_selection.Facts) -> str:
    return BARU if found.last_card_at is None else CETAK_ULANG


def _skip(session: Session, batch_id: int, item_id: int, skip: Skip) -> None:
    session.execute(update(BatchItem.__table__).where(BatchItem.__table__.c.id == item_id)
                    .values(state=SKIPPED, message=skip.message[:500], skip_code=skip.code,
                            finished_at=utcnow()))
    batch = Batch.__table__
    session.execute(update(batch).where(batch.c.id == batch_id)
                    .values(skipped=batch.c.skipped + 1))


def _recheck(found: batch_selection.Facts, made_at: dt.datetime, today: dt.date) -> Skip | None:
    """The rules again, now (the card row itself is the resident's one active row: ``found``
    names no other batch). A card printed since the batch was made makes this one redundant.
    The card's reason follows: a first card is BARU, any later one a reprint (CETAK ULANG)."""
    skip = batch_selection.skip_for(found, today)
    last = found.last_card_at
    if skip is None and last is not None and last > made_at:
        skip = Skip(CARD_SINCE, f"got a card on {last:%Y-%m-%d} after the batch was made")
    return skip


def _close(item: BatchItem, state: str, message: str | None, code: str | None = None) -> None:
    item.state, item.message, item.finished_at = state, message[:500] if message else None, utcnow()
    if code is not None:
        item.skip_code = code


def printed(session: Session, actor: Actor, item_id: int, card: Recorded) -> None:
    """The card came out and is recorded (same transaction as `registry.cards.inserted`)."""
    row = session.execute(_PRINTED, {"p_id": item_id, "p_now": utcnow(),
                                     "p_card": card.id}).first()
    if row is None:
        earlier = session.scalar(select(_ITEMS.c.card_id).where(_ITEMS.c.id == item_id))
        raise ConflictError(f"batch card {item_id} was already printed (card {earlier})")
    batch_id, reason, more_to_come = row
    audit.write(session, actor, "batch.card_printed", "card", f"{card.nik}/{card.copy_number}",
                {"batch": [None, batch_id], "batch_item": [None, item_id],
                 "reason": [None, card.reason]}, note=reason)
    if not more_to_come:  # else the batch cannot be done: spare the statement, once a card
        batches.finish_when_empty(session, batch_id)


def failed(session: Session, item_id: int, *, code: str | None, consumed: bool, message: str,
           max_spoiled: int, failures: int = 0, max_failures: int | None = None) -> str:
    """No card came out: back to the queue, or failed when printing it again is pointless.
    ``failures``: the card's failed prints that were neither a printer fault nor a spoiled
    blank (`failures`); at ``max_failures`` a person looks at it rather than the workers
    trying forever. Returns the card's new state."""
    item = session.get(BatchItem, item_id)
    item.spoiled += bool(consumed)
    text = f"{code}: {message}" if code else message
    if code == CARD_DATA:
        _close(item, FAILED, text)
    elif item.spoiled >= max_spoiled:
        _close(item, FAILED, f"{item.spoiled} blanks spoiled on this card; last: {text}")
    elif max_failures is not None and failures >= max_failures:
        _close(item, FAILED, f"failed {failures} times, not for a printer fault; last: {text}")
    elif item.batch.state == CANCELLED:
        _close(item, ITEM_CANCELLED, f"batch cancelled; last: {text}")
    else:
        item.state, item.message = PENDING, text[:500]
    if item.state != PENDING:
        batches.finish_if_done(session, item.batch)
    return item.state


def failures(session: Session, item_id: int, not_counted: Collection[str]) -> int:
    """The card's failed prints, except those whose error code is in ``not_counted`` (the
    printer's faults, a spoiled blank, an interrupted print: nothing said against the card)."""
    return session.scalar(select(func.count()).select_from(PrintAttempt).where(
        PrintAttempt.source == SOURCE, PrintAttempt.source_id == item_id,
        PrintAttempt.state == ATTEMPT_FAILED,
        func.coalesce(PrintAttempt.error_code, "").not_in(list(not_counted)))) or 0


def held(session: Session, item_id: int, message: str) -> None:
    item = session.get(BatchItem, item_id)
    if item.state in (PRINTING, HELD):
        item.state, item.message = HELD, message[:500]


def give_up(session: Session, item_id: int, message: str) -> None:
    """Fail a card that keeps breaking the worker, once its open print is settled."""
    item = session.get(BatchItem, item_id)
    if item.state == PENDING:
        _close(item, FAILED, message)
        batches.finish_if_done(session, item.batch)


@dataclass(frozen=True)
class Outlook:
    """What a printer could take now: a card (``takeable``), or none; ``no_stock``: offices
    whose running batches have cards waiting for blanks."""

    takeable: bool
    no_stock: tuple[str, ...] = ()


def outlook(session: Session, printer_id: int) -> Outlook:
    """Is any card of the printer's running batches waiting, and can it be taken (blanks)?"""
    takeable, no_stock = False, set()
    for batch_id, office_code, _, available in _running(session, printer_id):
        if not _has_pending(session, batch_id):
            continue
        if (available or 0) > 0:
            takeable = True
        else:
            no_stock.add(office_code)
    return Outlook(takeable, tuple(sorted(no_stock)))


def last_attempt(session: Session, item_id: int) -> PrintAttempt | None:
    return session.scalar(select(PrintAttempt).where(PrintAttempt.source == SOURCE,
                                                     PrintAttempt.source_id == item_id)
                          .order_by(PrintAttempt.id.desc()).limit(1))


def _open_attempt_items():
    return select(PrintAttempt.source_id).where(
        PrintAttempt.source == SOURCE, PrintAttempt.state.in_((ATTEMPT_PRINTING, ATTEMPT_HELD)))


def requeue_orphans(session: Session, printer_id: int) -> int:
    """Cards taken for ``printer_id`` with no print attempt (nothing was reserved or sent for
    them; the worker opens the attempt in the transaction that takes the card, so only a take
    committed on its own leaves one): back to the queue. Only the worker holding the printer's
    lease may call this, when it is not printing."""
    cancelled = select(Batch.id).where(Batch.state == CANCELLED)
    result = session.execute(
        update(BatchItem).where(BatchItem.printer_id == printer_id, BatchItem.state == PRINTING,
                                BatchItem.id.not_in(_open_attempt_items()))
        .values(state=case((BatchItem.batch_id.in_(cancelled), ITEM_CANCELLED), else_=PENDING),
                message="taken by a worker that stopped before printing it")
        .execution_options(synchronize_session=False))
    return result.rowcount


def in_flight_elsewhere(session: Session, printer_id: int, live_after: dt.datetime) -> int:
    """Cards of the printer's batches being printed on other printers whose worker is alive:
    they may come back to the queue (a printer fault), so an idle worker waits for them before
    it stops."""
    live = select(BatchPrinter.printer_id).where(BatchPrinter.token.is_not(None),
                                                 BatchPrinter.heartbeat_at > live_after)
    return session.scalar(
        select(func.count()).select_from(BatchItem).join(Batch, Batch.id == BatchItem.batch_id)
        .where(Batch.state == RUNNING, _PRINTERS_OFFICE, BatchItem.state == PRINTING,
               BatchItem.printer_id != printer_id, BatchItem.printer_id.in_(live)),
        {"p_printer": printer_id}) or 0
