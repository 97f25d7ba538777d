"""Settling what a stopped worker left on a printer, before that printer prints anything else.

Run by the worker holding the printer's lease whenever it starts, after an error, and after a
printer fault clears. A card whose print was open is settled by asking the printer
(`app.issuance.settle`, from its blank and panel counters): came out (recorded), not started
(queued again), spoiled (recorded as a spoiled blank, queued again: a jammed blank the
operator has pulled out is still told from a card that came out), still printing or the
printer unreachable (held as a printer fault, settled again once it answers idle), or unknown
(held for a clerk). Nothing is printed again before its card is settled.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from registry import attempts, batch_queue
from registry.audit import Actor
from registry.models.issuance import ATTEMPT_HELD, ATTEMPT_PRINTING

from .. import issuance

log = logging.getLogger("ktp.worker")


@dataclass
class Recovered:
    settled: int = 0
    requeued: int = 0
    waiting: list[int] = field(default_factory=list)  # held until the printer answers again
    counter_prints: list[int] = field(default_factory=list)  # counter attempts still open

    @property
    def clean(self) -> bool:
        """True when the printer may print: nothing of it is waiting to be settled."""
        return not self.waiting and not self.counter_prints


def after_outcome(database: issuance.Transactions, item_id: int, outcome: issuance.Outcome) -> None:
    """The card row follows its print: `issuance` closes printed and failed cards through the
    batch source; a held print holds the card."""
    if outcome.held:
        with database.write() as session:
            batch_queue.held(session, item_id, f"{outcome.code}: {outcome.message}")


def recover(database: issuance.Transactions, actor: Actor, printer_id: int, *,
            printer_ready: bool) -> Recovered:
    """Settle every open print on ``printer_id``. ``printer_ready``: the printer answered just
    now, so prints held because it could not be asked are settled too."""
    done = Recovered()
    with database.write() as session:
        done.requeued = batch_queue.requeue_orphans(session, printer_id)
    with database.read() as session:
        open_prints = [(a.id, a.source, a.source_id, a.state, a.error_code, a.error_message)
                       for a in attempts.open_attempts(session, printer_id)]
    for attempt_id, source, source_id, state, code, message in open_prints:
        if source != batch_queue.SOURCE:
            if state == ATTEMPT_PRINTING:
                done.counter_prints.append(attempt_id)
            continue
        if state == ATTEMPT_HELD and code not in issuance.PRINTER_FAULTS:
            after_outcome(database, source_id, issuance.Outcome(
                attempt_id, printed=False, held=True, code=code, message=message))
            continue  # a clerk decides
        if state == ATTEMPT_HELD and not printer_ready:
            done.waiting.append(attempt_id)
            continue
        outcome = issuance.settle(database, actor, attempt_id)
        log.info("settled print %s of batch card %s: %s", attempt_id, source_id,
                 "printed" if outcome.printed else outcome.code)
        after_outcome(database, source_id, outcome)
        done.settled += 1
        if outcome.held and outcome.code in issuance.PRINTER_FAULTS:
            done.waiting.append(attempt_id)
    return done
