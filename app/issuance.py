"""Printing one card exactly once, for the counter and the batch worker alike.

1. Reserve a blank and open a print attempt (committed) — nothing has been sent yet. `print_for`
   commits it on its own; the batch worker with the card it takes (`start`, `print_started`).
2. Read the printer's counters (blanks taken, panels printed) and record them with the panels
   this card lays (committed) — then send the card.
3. The printer confirms the card came out: record the card, consume the blank (committed).
   Or it refuses: record a spoiled blank if it took one, release it if not.

A crash can stop this anywhere. `settle` finishes an attempt left in ``printing``: with no
counter recorded nothing was sent; otherwise the printer is asked what became of the card
(`drivers.Printer.settle`: one blank taken and all the card's panels printed, it came out;
none of them, the blank was spoiled, even once the operator has pulled it out), and when it
cannot tell, the attempt is held for a clerk to look at the output tray. A card is never
printed again blindly.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import bindparam, or_, select, true
from sqlalchemy.orm import Session

import drivers
import printing
from registry import applications, attempts, audit, cards, printer_events, regions, residents
from registry.audit import Actor
from registry.errors import NotFoundError
from registry.models import Application, PrintAttempt, Printer, Resident, ResidentImage
from registry.models.issuance import BARU
from registry.models.printer_event import FAULT, READY

from . import printers as configured
from .cards import CardSources, card_data, job_for


class Transactions(Protocol):
    """What printing a card needs of the database: short read and write transactions, as
    `registry.db.Database` gives them (or a batch worker's printer loop, on the connection it
    keeps: `app.batches.connection`)."""

    def read(self) -> AbstractContextManager[Session]: ...

    def write(self, *, durable: bool = False) -> AbstractContextManager[Session]: ...


@dataclass(frozen=True)
class CardRequest:
    """What the card is for and what goes on it."""

    reason: str  # BARU or a reprint reason
    application_id: int | None
    photo_id: int | None
    signature_id: int | None


@dataclass(frozen=True)
class Source:
    """Who asked for cards (applications, batch items): how to read and close their side."""

    name: str
    request: Callable[[Session, int], CardRequest]
    printed: Callable[[Session, Actor, int, cards.Recorded], None]
    failed: Callable[[Session, Actor, int, str], None]


SOURCES: dict[str, Source] = {}

# Error codes that are the printer's state (and count against its uptime), unlike a card
# whose data cannot be printed or a clerk's finding.
PRINTER_FAULTS = frozenset({
    "feeder-empty", "ribbon-ended", "cover-open", "jam", "offline", "disconnected", "timeout",
    "printer-fault", "command-rejected", "busy", "not-found", "permission-denied",
    "no-usb-backend"})


def register_source(source: Source) -> None:
    SOURCES[source.name] = source


@dataclass(frozen=True)
class Outcome:
    attempt_id: int
    printed: bool
    held: bool = False
    card_id: int | None = None
    code: str | None = None
    message: str | None = None
    card_consumed: bool | None = None


@dataclass(frozen=True)
class Sent:
    """The printer's counters recorded with an attempt just before its card went out."""

    cards_inserted: int
    panels_before: int | None = None
    panels_in_job: int | None = None


@dataclass(frozen=True)
class Started:
    """An open print attempt, its blank reserved, nothing sent yet. Its fields are the
    attempt's columns that never change, so closing it needs no read of the attempt back."""

    id: int  # the attempt
    job_id: str
    source: str
    source_id: int
    resident_id: int
    printer_id: int
    office_code: str
    uri: str
    request: CardRequest | None = None  # what to print, when the caller already knows it
    resident: Any = None  # the resident's row as read when the attempt opened (`residents.row`)


def print_for(database: Transactions, actor: Actor, source: str, source_id: int, nik: str,
              printer_name: str, office_code: str) -> Outcome:
    """Print the card ``source``/``source_id`` asks for on a configured printer.

    Raises `registry.stock.OutOfStockError` (nothing reserved) before anything else happens.
    """
    with database.write() as session:
        started = _start(session, actor, source, source_id, nik, printer_name, office_code)
    return print_started(database, actor, started)


def start(session: Session, actor: Actor, source: str, source_id: int, *, resident_id: int,
          printer_id: int, uri: str, office_code: str, request: CardRequest | None = None,
          resident: Any = None) -> Started:
    """Reserve a blank and open the attempt in the caller's transaction (the batch worker's
    that takes the card, so that taking and reserving are one commit);
    `registry.stock.OutOfStockError` if no blank is left. The resident's record is read here
    (``resident``: the caller read it in this transaction already), once: the card is drawn
    from it and recorded with it, so the record of a card is what was printed on it."""
    attempt_id, job_id = attempts.open_attempt(
        session, actor, source=source, source_id=source_id, resident_id=resident_id,
        printer_id=printer_id, office_code=office_code)
    return Started(attempt_id, job_id, source, source_id, resident_id, printer_id, office_code,
                   uri, request, resident or residents.row(session, resident_id))


def print_started(database: Transactions, actor: Actor, started: Started,
                  card: printing.CardData | None = None) -> Outcome:
    """Draw, send and close an attempt opened (and committed) by `start`. ``card``: what it
    carries, when the caller read it already (`card_to_print`)."""
    attempt_id = started.id
    try:
        if card is None:
            with database.read() as session:
                card = card_to_print(session, started)
        job = job_for(card, started.job_id)
    except printing.PrintingError as exc:
        return _fail(database, actor, attempt_id, "card-data", str(exc), False)
    try:
        with configured.open_printer(started.uri) as device:
            counters = device.counters()
            before = Sent(counters.cards_inserted, counters.panels_printed,
                          device.panels_for(job))
            # On disk before the bytes go: after a power cut the attempt still says it was
            # sent, so it is settled by asking the printer, never printed again blindly.
            with database.write(durable=True) as session:
                attempts.sent(session, attempt_id, before.cards_inserted,
                              panels_before=before.panels_before,
                              panels_in_job=before.panels_in_job)
            try:
                result = device.print_card(job, expect_cards_inserted=before.cards_inserted)
            except drivers.PrinterError as exc:
                if exc.card_consumed is not None:
                    raise
                return _settle_on(database, actor, attempt_id, device, before, exc)
            serial = device.identity().serial
    except drivers.PrinterError as exc:
        return _fail(database, actor, attempt_id, exc.code, str(exc), bool(exc.card_consumed))
    return _record_printed(database, actor, attempt_id, serial, result.card_number, started)


_RESIDENT, _PRINTER = Resident.__table__, Printer.__table__
_IDS = (select(_RESIDENT.c.id, _PRINTER.c.id, _PRINTER.c.uri)  # two one-row lookups at once
        .select_from(_RESIDENT.join(_PRINTER, true()))
        .where(_RESIDENT.c.nik == bindparam("p_nik"), _PRINTER.c.name == bindparam("p_printer")))


_IMAGE = ResidentImage.__table__
# Two parameters rather than an IN list, which would be expanded again at every card.
_IMAGES = select(_IMAGE).where(
    or_(_IMAGE.c.id == bindparam("p_photo"), _IMAGE.c.id == bindparam("p_signature")))


def _start(session: Session, actor: Actor, source: str, source_id: int, nik: str,
           printer_name: str, office_code: str) -> Started:
    """Reserve the blank and open the attempt, reading only the ids it needs."""
    found = session.execute(_IDS, {"p_nik": nik, "p_printer": printer_name}).first()
    if found is None:  # which one is missing, for the message
        residents.get(session, nik)
        raise NotFoundError("printer", printer_name)
    resident_id, printer_id, uri = found
    return start(session, actor, source, source_id, resident_id=resident_id,
                 printer_id=printer_id, uri=uri, office_code=office_code)


def card_to_print(session: Session, started: Started,
                  place: regions.Place | None = None) -> printing.CardData:
    """The card ``started`` prints, read in the caller's transaction (the batch worker's that
    takes the card, which saves one); `printing.PrintingError` when the record cannot be put
    on a card. ``place``: the names of the resident's desa, when the caller knows them."""
    return _card_for(session, started.source, started.source_id, started.resident_id,
                     started.request, started.resident, place)


def _card_for(session: Session, source: str, source_id: int, resident_id: int,
              request: CardRequest | None = None, resident: Any = None,
              place: regions.Place | None = None) -> printing.CardData:
    request = request or SOURCES[source].request(session, source_id)
    resident = resident or residents.row(session, resident_id)
    found = {image.id: image for image in session.execute(
        _IMAGES, {"p_photo": request.photo_id, "p_signature": request.signature_id})}
    sources = CardSources(found.get(request.photo_id), found.get(request.signature_id))
    return card_data(session, resident, sources=sources, place=place)


def _record_printed(database: Transactions, actor: Actor, attempt_id: int, serial: str | None,
                    card_number: int | None, started: Started | None = None) -> Outcome:
    """Record the card that came out (``started``: the attempt as opened, when at hand)."""
    with database.write() as session, audit.gathered(session):  # its three entries at once
        attempt = started or attempts.row(session, attempt_id)
        source = SOURCES[attempt.source]
        request = (started and started.request) or source.request(session, attempt.source_id)
        resident = (started and started.resident) or residents.row(session, attempt.resident_id)
        card = cards.inserted(session, actor, resident, reason=request.reason,
                              office_code=attempt.office_code, photo_id=request.photo_id,
                              signature_id=request.signature_id,
                              application_id=request.application_id,
                              printer_id=attempt.printer_id, printer_serial=serial,
                              printer_card_number=card_number)
        attempts.printed(session, actor, attempt, card)
        source.printed(session, actor, attempt.source_id, card)
        printer_events.note(session, attempt.printer_id, READY)
        return Outcome(attempt_id, printed=True, card_id=card.id, card_consumed=True)


def _fail(database: Transactions, actor: Actor, attempt_id: int, code: str, message: str,
          consumed: bool) -> Outcome:
    with database.write() as session:
        attempt = session.get(PrintAttempt, attempt_id)
        attempts.failed(session, actor, attempt, code=code, message=message,
                        card_consumed=consumed)
        SOURCES[attempt.source].failed(session, actor, attempt.source_id, message)
        if code in PRINTER_FAULTS:
            printer_events.note(session, attempt.printer_id, FAULT, code, message)
    return Outcome(attempt_id, printed=False, code=code, message=message, card_consumed=consumed)


def _hold(database: Transactions, actor: Actor, attempt_id: int, code: str,
          message: str) -> Outcome:
    with database.write() as session:
        attempt = session.get(PrintAttempt, attempt_id)
        attempts.held(session, actor, attempt, code=code, message=message)
        if code in PRINTER_FAULTS:
            printer_events.note(session, attempt.printer_id, FAULT, code, message)
    return Outcome(attempt_id, printed=False, held=True, code=code, message=message)


def _settle_on(database: Transactions, actor: Actor, attempt_id: int, device: drivers.Printer,
               before: Sent, error: Exception | None = None) -> Outcome:
    """Ask the printer what became of the card started at the counters ``before``."""
    try:
        settlement = device.settle(before.cards_inserted, before.panels_before,
                                   before.panels_in_job)
        serial = device.identity().serial
    except drivers.PrinterBusyError as exc:
        return _hold(database, actor, attempt_id, exc.code,
                     f"the printer is still printing ({exc}); settled once it is idle")
    except drivers.PrinterError as exc:
        return _hold(database, actor, attempt_id, exc.code,
                     f"cannot ask the printer what happened ({exc}); check the output tray")
    reason = str(error) if error else "settled after an interruption"
    if settlement.outcome == "came-out":
        return _record_printed(database, actor, attempt_id, serial, before.cards_inserted + 1)
    if settlement.outcome == "not-started":
        return _fail(database, actor, attempt_id, "not-started", reason, False)
    if settlement.outcome == "spoiled":
        where = ("it is still in the printer (remove it)" if settlement.status.card_inside
                 else "the printer did not finish it")
        return _fail(database, actor, attempt_id, "spoiled",
                     f"{reason}; the blank was spoiled: {where}", True)
    return _hold(database, actor, attempt_id, "check-output",
                 f"{reason}; look in the output tray: did the card come out?")


def settle(database: Transactions, actor: Actor, attempt_id: int) -> Outcome:
    """Finish an attempt found open after a crash or a lost connection."""
    with database.read() as session:
        attempt = session.get(PrintAttempt, attempt_id)
        uri = attempt.printer.uri
        before = None if attempt.counter_before is None else Sent(
            attempt.counter_before, attempt.panels_before, attempt.panels_in_job)
    if before is None:
        return _fail(database, actor, attempt_id, "not-sent",
                     "interrupted before the card was sent to the printer", False)
    try:
        with configured.open_printer(uri) as device:
            return _settle_on(database, actor, attempt_id, device, before)
    except drivers.PrinterError as exc:
        return _hold(database, actor, attempt_id, exc.code,
                     f"printer unreachable while settling ({exc}); check it and retry")


HELD_FINDINGS = ("printed", "spoiled", "untouched")


def resolve_held(database: Transactions, actor: Actor, attempt_id: int, finding: str) -> Outcome:
    """A clerk looked at the printer: the card came out (``printed``: record it), a blank was
    wasted (``spoiled``), or no blank left the feeder (``untouched``: release it)."""
    if finding == "printed":
        return _record_printed(database, actor, attempt_id, None, None)
    if finding not in HELD_FINDINGS:
        raise ValueError(f"finding must be one of {HELD_FINDINGS}")
    spoiled = finding == "spoiled"
    note = "a clerk found a spoiled blank" if spoiled else "a clerk found the blank unused"
    return _fail(database, actor, attempt_id, finding, note, spoiled)


# --- counter applications as a source of cards -------------------------------------------------

def _application_request(session: Session, application_id: int) -> CardRequest:
    application = session.get(Application, application_id)
    reason = BARU if application.kind == BARU else application.reason
    return CardRequest(reason, application.id, application.photo_id, application.signature_id)


def _application_printed(session: Session, actor: Actor, application_id: int,
                         card: cards.Recorded) -> None:
    applications.printed(session, actor, applications.get(session, application_id), card)


def _application_failed(session: Session, actor: Actor, application_id: int, reason: str) -> None:
    applications.print_failed(session, actor, applications.get(session, application_id), reason)


register_source(Source("application", _application_request, _application_printed,
                       _application_failed))
