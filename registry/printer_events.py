"""Recording printer state changes (only changes: a long run of good cards is one row)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .models.printer_event import FAULT, READY, PrinterEvent


def last(session: Session, printer_id: int) -> PrinterEvent | None:
    return session.scalar(select(PrinterEvent).where(PrinterEvent.printer_id == printer_id)
                          .order_by(PrinterEvent.id.desc()).limit(1))


_EVENTS = PrinterEvent.__table__.c
_LAST_STATE = (select(_EVENTS.state, _EVENTS.code)  # built once: it runs once per card
               .where(_EVENTS.printer_id == bindparam("p_printer"))
               .order_by(_EVENTS.id.desc()).limit(1))


def note(session: Session, printer_id: int, state: str, code: str | None = None,
         message: str | None = None, at: dt.datetime | None = None) -> PrinterEvent | None:
    """Record ``state`` if it differs from the printer's last recorded state (or fault code)."""
    if state not in (READY, FAULT):
        raise ValueError(state)
    previous = session.execute(_LAST_STATE, {"p_printer": printer_id}).first()
    if previous is not None and tuple(previous) == (state, code):
        return None
    event = PrinterEvent(printer_id=printer_id, state=state, code=code,
                         message=(message or "")[:500] or None)
    if at is not None:
        event.at = at
    session.add(event)
    return event
