"""Issuance records with known timestamps, for the indicator and survey tests.

Residents, printers and stock go through the registry's services (so balances stay true);
applications, cards, attempts and printer events are written with the timestamps a test
states, which the services (stamping "now") cannot do.
"""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

from registry import printers, residents, stock
from registry.audit import Actor
from registry.models import (
    Application,
    ApplicationEvent,
    Card,
    PrintAttempt,
    Printer,
    PrinterEvent,
    Resident,
)
from registry.models.issuance import BARU, CARD_ACTIVE, CARD_PRINTED, CETAK_ULANG, DISERAHKAN
from tests.registry.factories import resident_fields

CLERK = Actor("clerk", office_code="33.14")
_names = itertools.count(1)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def _letters(n: int) -> str:
    out = ""
    while n:
        n, digit = divmod(n - 1, 26)
        out = chr(ord("A") + digit) + out
    return out


def resident(session: Session) -> Resident:
    name = f"WARGA UJI {_letters(next(_names))}"
    return residents.register(session, CLERK, resident_fields(nama=name), confirm_duplicate=True)


def application(session: Session, office: str, at: dt.datetime, *, reason: str | None = None,
                who: Resident | None = None, state: str = "DIAJUKAN") -> Application:
    who = who or resident(session)
    row = Application(resident_id=who.id, office_code=office,
                      kind=CETAK_ULANG if reason else BARU, reason=reason, state=state,
                      created_by=CLERK.name, created_at=at)
    session.add(row)
    session.flush()
    session.add(ApplicationEvent(application_id=row.id, at=at, actor=CLERK.name,
                                 to_state="DIAJUKAN"))
    return row


def card(session: Session, office: str, printed: dt.datetime,
         handed: dt.datetime | None = None, *, of: Application | None = None,
         reason: str | None = None, who: Resident | None = None,
         printer: Printer | None = None) -> Card:
    """A card printed (and handed over) at the given moments, for an application or not."""
    resident_id = of.resident_id if of else (who or resident(session)).id
    copies = session.query(Card).filter(Card.resident_id == resident_id).count()
    row = Card(resident_id=resident_id, nik=session.get(Resident, resident_id).nik,
               copy_number=copies + 1, reason=reason or (of.reason if of and of.reason else BARU),
               application_id=of.id if of else None, office_code=office,
               printer_id=printer.id if printer else None, data={}, printed_at=printed,
               printed_by=CLERK.name, state=CARD_ACTIVE if handed else CARD_PRINTED,
               handed_over_at=handed, handed_over_by=CLERK.name if handed else None,
               received_by="sendiri" if handed else None)
    session.add(row)
    if of is not None and handed is not None:
        of.state = DISERAHKAN
    session.flush()
    return row


def printer(session: Session, name: str, office: str | None) -> Printer:
    return printers.add(session, CLERK, name, f"virtual://{name}", office)


def attempt(session: Session, the_printer: Printer, office: str, at: dt.datetime, state: str,
            code: str | None = None, consumed: bool | None = None) -> PrintAttempt:
    who = resident(session)
    row = PrintAttempt(job_id=f"t-{next(_names)}", source="application", source_id=0,
                       resident_id=who.id, printer_id=the_printer.id, office_code=office,
                       state=state, error_code=code, card_consumed=consumed, actor=CLERK.name,
                       started_at=at, finished_at=at)
    session.add(row)
    return row


def event(session: Session, the_printer: Printer, at: dt.datetime, state: str,
          code: str | None = None) -> None:
    session.add(PrinterEvent(printer_id=the_printer.id, at=at, state=state, code=code))


def received(session: Session, office: str, quantity: int, at: dt.datetime) -> None:
    stock.receive(session, CLERK, office, quantity, reference="delivery").at = at


def used(session: Session, office: str, at: dt.datetime, *, spoiled: bool = False,
         the_printer: Printer | None = None) -> None:
    """A blank through a printer: a card, or a misprint."""
    stock.reserve(session, office)
    stock.consume(session, CLERK, office, spoiled=spoiled, reference="test",
                  printer_id=the_printer.id if the_printer else None, at=at)


def spoiled(session: Session, office: str, at: dt.datetime,
            the_printer: Printer | None = None) -> None:
    stock.spoil(session, CLERK, office, "damaged in the drawer",
                printer_id=the_printer.id if the_printer else None).at = at


def transfer(session: Session, source: str, target: str, quantity: int, at: dt.datetime) -> None:
    for movement in stock.transfer(session, CLERK, source, target, quantity):
        movement.at = at
