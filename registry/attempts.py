"""Print attempts: the database half of printing a card exactly once.

`start` reserves a blank and records the attempt before anything goes to the printer;
`sent` records the printer's cards-inserted counter just before the card is sent; `printed`,
`failed` and `held` close the attempt with what happened to the blank. A crash between two
steps leaves an attempt in ``printing`` that `app.issuance.settle` resolves by asking the
printer, never by printing blindly.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, stock
from .audit import Actor
from .errors import ConflictError
from .models import Card, PrintAttempt, Printer, Resident, utcnow
from .models.issuance import ATTEMPT_FAILED, ATTEMPT_HELD, ATTEMPT_PRINTED, ATTEMPT_PRINTING


def job_id(source: str, source_id: int) -> str:
    """Unique, and readable in the printer's log: what the card was for."""
    return f"{source}-{source_id}-{secrets.token_hex(4)}"


def start(session: Session, actor: Actor, *, source: str, source_id: int, resident: Resident,
          printer: Printer, office_code: str) -> PrintAttempt:
    """Reserve a blank of ``office_code`` and open an attempt (`OutOfStockError` if none)."""
    busy = session.scalar(select(PrintAttempt.id).where(
        PrintAttempt.source == source, PrintAttempt.source_id == source_id,
        PrintAttempt.state.in_((ATTEMPT_PRINTING, ATTEMPT_HELD))))
    if busy is not None:
        raise ConflictError(f"{source} {source_id} is already being printed (attempt {busy})")
    stock.reserve(session, office_code)
    attempt = PrintAttempt(job_id=job_id(source, source_id), source=source, source_id=source_id,
                           resident_id=resident.id, printer_id=printer.id,
                           office_code=office_code, actor=actor.name)
    session.add(attempt)
    session.flush()
    return attempt


def sent(session: Session, attempt_id: int, counter_before: int) -> None:
    attempt = session.get(PrintAttempt, attempt_id)
    attempt.counter_before = counter_before


def _close(attempt: PrintAttempt, state: str) -> None:
    if attempt.state not in (ATTEMPT_PRINTING, ATTEMPT_HELD):
        raise ConflictError(f"print attempt {attempt.id} is already {attempt.state}")
    attempt.state, attempt.finished_at = state, utcnow()


def printed(session: Session, actor: Actor, attempt: PrintAttempt, card: Card) -> None:
    """The card came out: the reserved blank is consumed as a printed card."""
    _close(attempt, ATTEMPT_PRINTED)
    attempt.card_id, attempt.card_consumed = card.id, True
    stock.consume(session, actor, attempt.office_code, spoiled=False,
                  reference=f"card {card.nik}/{card.copy_number}", printer_id=attempt.printer_id)


def failed(session: Session, actor: Actor, attempt: PrintAttempt, *, code: str, message: str,
           card_consumed: bool) -> None:
    """No card came out. A blank the printer took is recorded spoiled; otherwise released."""
    _close(attempt, ATTEMPT_FAILED)
    attempt.error_code, attempt.error_message = code, message[:500]
    attempt.card_consumed = card_consumed
    if card_consumed:
        stock.consume(session, actor, attempt.office_code, spoiled=True, reason=message[:300],
                      reference=attempt.job_id, printer_id=attempt.printer_id)
    else:
        stock.release(session, attempt.office_code)
    audit.record(session, actor, "print.failed", attempt.source, str(attempt.source_id),
                 {"printer_id": [None, attempt.printer_id], "error": [None, code],
                  "card_consumed": [None, card_consumed]}, note=message[:500])


def held(session: Session, actor: Actor, attempt: PrintAttempt, *, code: str,
         message: str) -> None:
    """Only a person at the printer can tell what happened: keep the blank reserved and stop."""
    attempt.state, attempt.error_code, attempt.error_message = ATTEMPT_HELD, code, message[:500]
    audit.record(session, actor, "print.held", attempt.source, str(attempt.source_id),
                 {"printer_id": [None, attempt.printer_id], "error": [None, code]},
                 note=message[:500])


def open_attempts(session: Session, printer_id: int | None = None) -> list[PrintAttempt]:
    """Attempts not closed: in ``printing`` (maybe orphaned by a crash) or ``held``."""
    query = select(PrintAttempt).where(PrintAttempt.state.in_((ATTEMPT_PRINTING, ATTEMPT_HELD)))
    if printer_id is not None:
        query = query.where(PrintAttempt.printer_id == printer_id)
    return list(session.scalars(query.order_by(PrintAttempt.id)))
