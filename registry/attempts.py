"""Print attempts: the database half of printing a card exactly once.

`start` reserves a blank and records the attempt before anything goes to the printer;
`sent` records the printer's cards-inserted and panel counters just before the card is sent;
`printed`, `failed` and `held` close the attempt with what happened to the blank. A crash
between two steps leaves an attempt in ``printing`` that `app.issuance.settle` resolves by
asking the printer, never by printing blindly.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from . import audit, stock
from .audit import Actor
from .cards import Recorded
from .errors import ConflictError
from .models import PrintAttempt, Printer, Resident, utcnow
from .models.issuance import ATTEMPT_FAILED, ATTEMPT_HELD, ATTEMPT_PRINTED, ATTEMPT_PRINTING

_T = PrintAttempt.__table__
_IS_OPEN = or_(_T.c.state == ATTEMPT_PRINTING, _T.c.state == ATTEMPT_HELD)  # no list to expand
# Built once, with parameters: each runs once per card, and building one costs more than
# running it.
_BUSY = select(_T.c.id).where(_T.c.source == bindparam("source"),
                              _T.c.source_id == bindparam("source_id"), _IS_OPEN)
_OPENED = ("job_id", "source", "source_id", "resident_id", "printer_id", "office_code", "actor",
           "state", "started_at")
# The attempt, unless one of the same card is open: the check and the INSERT in one statement.
_INSERT_UNLESS_BUSY = (
    insert(_T)
    .from_select(_OPENED, select(*(bindparam(c, type_=_T.c[c].type) for c in _OPENED))
                 .where(~_BUSY.exists()))
    .returning(_T.c.id))
_SENT = update(_T).where(_T.c.id == bindparam("p_id")).values(
    counter_before=bindparam("p_counter"), panels_before=bindparam("p_panels"),
    panels_in_job=bindparam("p_job_panels"))
_ROW = select(_T).where(_T.c.id == bindparam("p_id"))
_PRINTED = update(_T).where(_T.c.id == bindparam("p_id"), _IS_OPEN).values(
    state=ATTEMPT_PRINTED, finished_at=bindparam("p_now"), card_id=bindparam("p_card"),
    card_consumed=True)


def job_id(source: str, source_id: int) -> str:
    """Unique, and readable in the printer's log: what the card was for."""
    return f"{source}-{source_id}-{secrets.token_hex(4)}"


def start(session: Session, actor: Actor, *, source: str, source_id: int, resident: Resident,
          printer: Printer, office_code: str) -> PrintAttempt:
    """Reserve a blank of ``office_code`` and open an attempt (`OutOfStockError` if none)."""
    attempt_id, _ = open_attempt(session, actor, source=source, source_id=source_id,
                                 resident_id=resident.id, printer_id=printer.id,
                                 office_code=office_code)
    return session.get(PrintAttempt, attempt_id)


def open_attempt(session: Session, actor: Actor, *, source: str, source_id: int,
                 resident_id: int, printer_id: int, office_code: str) -> tuple[int, str]:
    """`start` without loading the attempt back: its id and job id."""
    job = job_id(source, source_id)
    attempt_id = session.scalar(_INSERT_UNLESS_BUSY, {
        "job_id": job, "source": source, "source_id": source_id, "resident_id": resident_id,
        "printer_id": printer_id, "office_code": office_code, "actor": actor.name,
        "state": ATTEMPT_PRINTING, "started_at": utcnow()})
    if attempt_id is None:
        busy = session.scalar(_BUSY, {"source": source, "source_id": source_id})
        raise ConflictError(f"{source} {source_id} is already being printed (attempt {busy})")
    stock.reserve(session, office_code)  # no blank: the caller's transaction drops the attempt
    return attempt_id, job


def sent(session: Session, attempt_id: int, counter_before: int, *,
         panels_before: int | None = None, panels_in_job: int | None = None) -> None:
    """The printer's counters just before the card goes out: blanks taken (``counter_before``)
    and panels printed (``panels_before``), and how many panels this card lays
    (``panels_in_job``). Settling compares them with the printer's counters after."""
    session.execute(_SENT, {"p_id": attempt_id, "p_counter": counter_before,
                            "p_panels": panels_before, "p_job_panels": panels_in_job})


def row(session: Session, attempt_id: int) -> Any:
    """The attempt as a plain row (what closing it needs), without an ORM object."""
    return session.execute(_ROW, {"p_id": attempt_id}).one()


def _close(attempt: PrintAttempt, state: str) -> None:
    if attempt.state not in (ATTEMPT_PRINTING, ATTEMPT_HELD):
        raise ConflictError(f"print attempt {attempt.id} is already {attempt.state}")
    attempt.state, attempt.finished_at = state, utcnow()


def printed(session: Session, actor: Actor, attempt: Any, card: Recorded) -> None:
    """The card came out: the reserved blank is consumed as a printed card. ``attempt``: a
    `PrintAttempt` or a row with its id, office_code and printer_id (a conditional UPDATE
    refuses an attempt already closed)."""
    closed = session.execute(_PRINTED, {"p_id": attempt.id, "p_now": utcnow(),
                                        "p_card": card.id})
    if closed.rowcount != 1:
        state = session.scalar(select(_T.c.state).where(_T.c.id == attempt.id))
        raise ConflictError(f"print attempt {attempt.id} is already {state}")
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
