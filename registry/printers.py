"""The printers an office prints on. The address is checked by the app against the drivers'
URI rules before it gets here; the registry keeps the list and who changed it."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .audit import Actor
from .errors import ConflictError, InvalidRecordError, NotFoundError
from .models import Office, Printer

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
        query = query.where((Printer.office_code == office_code)
                            | Printer.office_code.startswith(office_code + "."))
    return list(session.scalars(query))
