"""Which printers a clerk may use: those of their office and the offices under it, and
printers that belong to no office."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry import printers
from registry.models import Printer

from .access import me, require_area


def visible(printer: Printer) -> bool:
    return printer.office_code is None or me().serves(printer.office_code)


def usable_printers(session: Session) -> list[Printer]:
    """Enabled printers the clerk may print on, their own office's first."""
    mine = me().office_code
    found = [p for p in printers.listed(session) if p.enabled and visible(p)]
    return sorted(found, key=lambda p: (p.office_code != mine, p.name))


def visible_printer(session: Session, name: str) -> Printer:
    printer = printers.get(session, name)
    if printer.office_code is not None:
        require_area(printer.office_code, "printer", name)
    return printer
