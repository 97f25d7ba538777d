"""One printer driven by a worker: settle what was left open, then take a card, print it
exactly once through `app.issuance`, and repeat; on a printer fault, wait until the printer says
it is ready again while the other printers carry on."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from flask import Flask

import drivers
import printing
from registry import attempts, batch_leases, batch_queue, printer_events, printers, regions, stock
from registry.audit import Actor
from registry.batch_leases import Holder, LeaseHeldError, LeaseLostError
from registry.errors import ConflictError
from registry.models import utcnow
from registry.models.issuance import ATTEMPT_HELD
from registry.models.printer_event import FAULT, READY

from .. import issuance
from .. import printers as configured
from ..database import db
from ..issuance import CardRequest
from . import host
from .connection import LoopDatabase
from .recovery import after_outcome, recover
from .settings import BatchSettings

log = logging.getLogger("ktp.worker")
POISON = 2  # unexpected errors on one card before it is failed for a person to look at
ONE_WAY = drivers.OneWayPrinterError.code


def cannot_confirm(uri: str) -> bool:
    """A printer that only takes bytes (``file://``) cannot say whether a card came out, nor
    what became of one after a crash: printing exactly once needs those answers."""
    try:
        return not configured.open_printer(uri).transport.bidirectional
    except drivers.PrinterError:
        return False  # a bad address fails where it is used, with its reason


Taken = tuple[batch_queue.Claim, issuance.Started, printing.CardData | None]


@dataclass(frozen=True)
class Options:
    exit_when_idle: bool
    settings: BatchSettings


class PrinterLoop(threading.Thread):
    def __init__(self, app: Flask, printer: str, options: Options, stop: threading.Event,
                 holder: Holder, actor: Actor) -> None:
        super().__init__(name=f"printer-{printer}", daemon=True)
        self.app, self.printer, self.options, self.stop = app, printer, options, stop
        self.holder, self.actor = holder, actor
        self.settings = options.settings
        self.token: str | None = None
        self.lost = threading.Event()
        self.disabled = threading.Event()
        self.printer_id = 0
        self.uri = ""
        self._reported: tuple[str, str | None, int | None] | None = None
        self._errors: dict[int, int] = {}
        self._waiting_said = False
        self._stopped_because: str | None = None
        self.places = regions.Places()  # the desa names of the cards it draws

    def run(self) -> None:
        with self.app.app_context():
            self.database = LoopDatabase(db())
            with self.database.read() as session:
                printer = printers.get(session, self.printer)
                self.printer_id, self.uri = printer.id, printer.uri
            if cannot_confirm(self.uri):
                log.error("printer %s (%s) cannot confirm that a card came out: a worker "
                          "drives only printers that answer", self.printer, self.uri)
                self.database.close()
                return
            try:
                self._run()
            finally:
                self._release()
                self.database.close()

    def _run(self) -> None:
        needs_recovery, ready = True, True
        while not self.stop.is_set():
            if self.disabled.is_set():
                log.warning("printer %s was disabled: this worker stops driving it", self.printer)
                return
            try:
                if self.token is None or self.lost.is_set():
                    if not self._acquire():
                        if self._may_exit():
                            return
                        self._sleep(self.settings.poll_seconds)
                        continue
                    needs_recovery = True
                if needs_recovery:
                    needs_recovery, ready = self._recover()
                    if needs_recovery and ready:
                        self._sleep(self.settings.poll_seconds)
                        continue
                if not ready:
                    if not self._wait_until_ready():
                        return
                    needs_recovery, ready = True, True
                    continue
                step = self._step()
                if step == "exit":
                    return
                ready = step != "fault"
            except LeaseLostError:
                log.warning("printer %s was taken over by another worker", self.printer)
                self.token = None
            except Exception as exc:
                log.exception("printer %s: %s", self.printer, exc)
                needs_recovery = True
                self._sleep(self.settings.poll_seconds)

    # the lease

    def _acquire(self) -> bool:
        ttl = dt.timedelta(seconds=self.settings.lease_seconds)
        try:
            with self.database.write() as session:
                self.token = batch_leases.acquire(session, self.printer_id, self.printer,
                                                  self.holder, ttl=ttl, gone=host.gone)
        except LeaseHeldError as exc:
            if not self._waiting_said:
                log.warning("%s; waiting", exc)
                self._waiting_said = True
            return False
        self.lost.clear()
        self._reported = None
        log.info("driving printer %s (%s)", self.printer, self.uri)
        return True

    def _release(self) -> None:
        if self.token is None:
            return
        try:
            with self.database.write() as session:
                batch_leases.release(session, self.printer_id, self.token,
                                     self._stopped_because)
        except Exception:  # the lease runs out by itself
            log.exception("could not release printer %s", self.printer)
        self.token = None

    def _report(self, state: str, detail: str | None = None, item_id: int | None = None,
                session=None) -> None:
        if session is None and (state, detail, item_id) == self._reported:
            return
        if session is not None:
            batch_leases.report(session, self.printer_id, self.token, state, detail, item_id)
        else:
            with self.database.write() as own:
                batch_leases.report(own, self.printer_id, self.token, state, detail, item_id)
        self._reported = (state, detail, item_id)

    # settling, faults

    def _recover(self) -> tuple[bool, bool]:
        """Settle this printer's open prints; returns (still needs recovery, printer ready)."""
        status, _ = configured.probe(self.uri)
        done = recover(self.database, self.actor, self.printer_id, printer_ready=status.online)
        if done.counter_prints:
            self._report("blocked", f"a counter print is open on this printer (attempt "
                                    f"{done.counter_prints[0]}); waiting for it to finish")
            return True, True
        return False, status.ready and not done.waiting

    def _wait_until_ready(self) -> bool:
        """Poll the printer until it can print again; False to stop the loop."""
        while not (self.stop.is_set() or self.disabled.is_set()):
            status, _ = configured.probe(self.uri)
            if status.ready:
                with self.database.write() as session:
                    printer_events.note(session, self.printer_id, READY)
                self._report("idle", "ready again")
                log.info("printer %s is ready again", self.printer)
                return True
            detail = f"{status.state}: {status.reason}" if status.reason else status.state
            with self.database.write() as session:
                printer_events.note(session, self.printer_id, FAULT, status.state, status.reason)
                batch_leases.report(session, self.printer_id, self.token, "fault", detail)
            self._reported = ("fault", detail, None)
            if self._may_exit(unsettled_ok=False):
                return False
            self._sleep(self.settings.fault_poll_seconds)
        return False

    # one card

    def _step(self) -> str:
        try:
            taken = self._take()
        except stock.OutOfStockError as exc:  # the take was rolled back with it
            self._report("waiting-stock", str(exc))
            self._sleep(self.settings.poll_seconds)
            return "stock"
        if isinstance(taken, batch_queue.NoCard):
            return self._idle(taken)
        got, started, card = taken
        try:
            outcome = issuance.print_started(self.database, self.actor, started, card)
        except ConflictError:
            raise  # a print of this card is still open: recovery settles it, not poison
        except Exception as exc:
            self._poisoned(got.item_id, exc)
            raise
        after_outcome(self.database, got.item_id, outcome)
        if outcome.printed:
            log.info("printed %s (batch %s, card %s) on %s", got.nik, got.batch_id, got.item_id,
                     self.printer)
            return "printed"
        log.warning("card %s on %s: %s %s", got.item_id, self.printer, outcome.code,
                    outcome.message)
        if outcome.code in issuance.PRINTER_FAULTS:
            return "fault"
        if outcome.code == ONE_WAY:  # found out only on opening it (a USB link with no way back)
            self._stopped_because = f"{outcome.message} A worker needs a printer that answers."
            log.error("printer %s: %s", self.printer, self._stopped_because)
            return "exit"
        self._sleep(self.settings.poll_seconds)  # not at once: the next card may fail alike
        return "failed"

    def _take(self) -> Taken | batch_queue.NoCard:
        """Take the next card, check the lease (a taken-over worker takes none), reserve its
        blank and open its print attempt, in one commit: a card is never taken without its
        attempt, and with no blank left nothing is taken. What the card carries is read in
        the same transaction."""
        with self.database.write() as session:
            got = batch_queue.claim(session, self.printer_id)
            if isinstance(got, batch_queue.NoCard):
                return got
            self._report("printing", f"card {got.nik} of batch {got.batch_id}", got.item_id,
                         session=session)
            pinned = CardRequest(got.reason, None, got.photo_id, got.signature_id)
            started = issuance.start(session, self.actor, batch_queue.SOURCE, got.item_id,
                                     resident_id=got.resident_id, printer_id=self.printer_id,
                                     uri=self.uri, office_code=got.office_code, request=pinned,
                                     resident=got.resident)
            place = self.places.get(session, got.resident.desa_code)
            try:
                card = issuance.card_to_print(session, started, place)
            except printing.PrintingError:
                card = None  # print_started reads it again and fails the card with the reason
            return got, started, card

    def _poisoned(self, item_id: int, exc: Exception) -> None:
        """A card that breaks the worker twice is failed for a person to look at; the print
        left open is settled first (by recovery), so no card is lost."""
        self._errors[item_id] = self._errors.get(item_id, 0) + 1
        if self._errors[item_id] < POISON:
            return
        recover(self.database, self.actor, self.printer_id, printer_ready=True)
        with self.database.write() as session:
            batch_queue.give_up(session, item_id, f"internal error: {exc}")

    def _idle(self, got: batch_queue.NoCard) -> str:
        if got.no_stock:
            self._report("waiting-stock", f"no blank cards at office {', '.join(got.no_stock)}")
        else:
            self._report("idle")
        if self._may_exit():
            return "exit"
        self._sleep(self.settings.poll_seconds)
        return "idle"

    def _may_exit(self, unsettled_ok: bool = True) -> bool:
        """With --exit-when-idle: nothing to take, nothing in flight elsewhere that may come
        back, and (while faulted) nothing of this printer waiting to be settled."""
        if not self.options.exit_when_idle:
            return False
        live_after = utcnow() - dt.timedelta(seconds=self.settings.lease_seconds)
        with self.database.read() as session:
            queue = batch_queue.outlook(session, self.printer_id)
            if queue.takeable:
                return False
            if batch_queue.in_flight_elsewhere(session, self.printer_id, live_after):
                return False
            if not unsettled_ok and any(a.source == batch_queue.SOURCE
                                        and a.state == ATTEMPT_HELD
                                        and a.error_code in issuance.PRINTER_FAULTS
                                        for a in attempts.open_attempts(session, self.printer_id)):
                return False
        if queue.no_stock:
            log.warning("printer %s: stopping with cards left: they wait for blank cards at "
                        "office %s (none left); receive blanks, then start a worker again",
                        self.printer, ", ".join(queue.no_stock))
        else:
            log.info("printer %s: no card left to take", self.printer)
        return True

    def _sleep(self, seconds: float) -> None:
        self.stop.wait(seconds)
