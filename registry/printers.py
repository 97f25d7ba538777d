"""The printers an office prints on. The address is checked by the app against the drivers'
URI rules before it gets here; the registry keeps the list and who changed it."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .audit import Actor
from .errors import ConflictError, InvalidRecordError, NotFoundError
from .models import Office, Printer, PrinterEvent
from .regions import in_region

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def add(session: Session, actor: Actor, name: str, uri: str,
        office_code: str | None = None) -> Printer:
    errors: dict[str, list[str]] = {}
    if not _NAME.match(name):
        errors["name"] = ["must be 1-40 letters, digits, . _ - (starting with a letter or digit)"]
    if office_code is not None and session.get(Office, office_code) is None:
        errors["office"] = [f"no office {office_code}"]
    if errors:
        raise InvalidRecordError(errors)
    if session.scalar(select(Printer.id).where(Printer.name == name)) is not None:
        raise ConflictError(f"printer {name} exists already")
    printer = Printer(name=name, uri=uri, office_code=office_code)
    session.add(printer)
    session.flush()
    audit.record(session, actor, "printer.create", "printer", name,
                 audit.created({"name": name, "uri": uri, "office_code": office_code}))
    return printer


def get(session: Session, name: str) -> Printer:
    printer = session.scalar(select(Printer).where(Printer.name == name))
    if printer is None:
        raise NotFoundError("printer", name)
    return printer


def listed(session: Session, office_code: str | None = None) -> list[Printer]:
    """All printers, or those of one office and the offices under it."""
    query = select(Printer).order_by(Printer.name)
    if office_code:
        query = query.where(in_region(Printer.office_code, office_code))
    return list(session.scalars(query))


def set_enabled(session: Session, actor: Actor, name: str, enabled: bool) -> Printer:
    """Take a printer out of use (it stays listed, with its history) or back into use."""
    printer = get(session, name)
    if printer.enabled != enabled:
        printer.enabled = enabled
        audit.record(session, actor, "printer.enable" if enabled else "printer.disable",
                     "printer", name, {"enabled": [not enabled, enabled]})
    return printer


def recent_events(session: Session, printer_id: int, limit: int = 20) -> list[PrinterEvent]:
    """The printer's latest state changes (ready, or a fault with its code), newest first."""
    return list(session.scalars(select(PrinterEvent).where(PrinterEvent.printer_id == printer_id)
                                .order_by(PrinterEvent.id.desc()).limit(limit)))
