"""Printing a card for an application, exactly once: stock, faults, crashes, settlement."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image

import drivers
from app import issuance, photos
from app.cards import job_for
from app.database import db as app_db
from app.issuance import _card_for
from app.printers import open_printer
from drivers.virtual import registry as virtual_printers
from registry import applications, printers, residents, stock
from registry import attempts as attempt_rules
from registry.audit import Actor
from registry.models import Card
from tests.printing.samples import BLUE, handwriting, portrait
from tests.registry.factories import resident_fields

OPERATOR = Actor("kpt", office_code="33.14")
SUPERVISOR = Actor("supervisor", office_code="33.14")


@pytest.fixture
def counter(app, tmp_path):
    """A verified application, 3 blanks at the KPT, and a way to add virtual printers."""
    app.instance_path = str(tmp_path)
    with app.app_context():
        database = app_db()
        with database.write() as session:
            resident = residents.register(session, OPERATOR, resident_fields())
            application = applications.submit(session, OPERATOR, resident, "33.14")
            for kind, data in (("photo", portrait(BLUE)), ("signature", handwriting())):
                stored = photos.store(session, OPERATOR, resident, kind, data)
                applications.attach_image(session, OPERATOR, application, kind, stored.id)
            applications.verify(session, SUPERVISOR, application)
            stock.receive(session, OPERATOR, "33.14", 3)
            nik, app_id = resident.nik, application.id
        yield Counter(database, nik, app_id, tmp_path)


class Counter:
    def __init__(self, database, nik, app_id, root):
        self.db, self.nik, self.app_id, self.root = database, nik, app_id, root

    def printer(self, name, **options):
        query = "&".join(f"{k}={v}" for k, v in options.items())
        with self.db.write() as session:
            printers.add(session, OPERATOR, name, f"virtual://{name}?{query}", "33.14")
        return name

    def print(self, printer):
        return issuance.print_for(self.db, OPERATOR, "application", self.app_id, self.nik,
                                  printer, "33.14")

    def state(self):
        with self.db.read() as session:
            application = applications.get(session, self.app_id)
            balance = stock.balance(session, "33.14")
            kinds = [m.kind for m in stock.ledger(session, "33.14")]
            cards_printed = session.query(Card).count()
            return application.state, (balance.on_hand, balance.reserved), kinds, cards_printed

    def printed_pngs(self, printer):
        return sorted((self.root / "virtual-printers" / printer).glob("*-front.png"))


def test_a_card_prints_once_consumes_a_blank_and_decodes(counter):
    outcome = counter.print(counter.printer("p1"))
    assert outcome.printed and outcome.card_consumed
    assert counter.state() == ("DICETAK", (2, 0), ["PRINTED", "RECEIVED"], 1)
    pngs = counter.printed_pngs("p1")
    assert len(pngs) == 1
    assert [b.text for b in zxingcpp.read_barcodes(Image.open(pngs[0]))] == [counter.nik]
    with counter.db.read() as session:
        card = session.get(Card, outcome.card_id)
        assert (card.printer_card_number, card.printer_serial[:4], card.reason) == (1, "VIRT", "BARU")


def test_out_of_stock_reserves_nothing(counter):
    with counter.db.write() as session:
        stock.give_back(session, OPERATOR, "33.14", 3, "to another office")
    with pytest.raises(stock.OutOfStockError):
        counter.print(counter.printer("p1"))
    assert counter.state()[:2] == ("DIVERIFIKASI", (0, 0))


def test_feeder_empty_releases_the_blank_and_a_retry_prints(counter):
    empty = counter.print(counter.printer("empty", cards=0))
    assert (empty.printed, empty.code, empty.card_consumed) == (False, "feeder-empty", False)
    assert "Load blank cards" in empty.message
    assert counter.state() == ("GAGAL CETAK", (3, 0), ["RECEIVED"], 0)
    virtual_printers.get("empty").load_cards(5)
    assert counter.print("empty").printed
    assert counter.state() == ("DICETAK", (2, 0), ["PRINTED", "RECEIVED"], 1)


def test_a_jam_records_a_spoiled_blank(counter):
    jammed = counter.print(counter.printer("jammy", fault="jam@1"))
    assert (jammed.code, jammed.card_consumed) == ("jam", True)
    assert counter.state() == ("GAGAL CETAK", (2, 0), ["SPOILED", "RECEIVED"], 0)
    assert counter.print(counter.printer("p2")).printed
    assert counter.state()[1:] == ((1, 0), ["PRINTED", "SPOILED", "RECEIVED"], 1)


def test_a_crash_after_sending_is_settled_by_the_printer_counter(counter, app):
    name = counter.printer("p1")
    # What a crash after step 2 leaves: an attempt with its counter, the card physically out.
    with counter.db.write() as session:
        attempt = attempt_rules.start(
            session, OPERATOR, source="application", source_id=counter.app_id,
            resident=residents.get(session, counter.nik), printer=printers.get(session, name),
            office_code="33.14")
        attempt_id, job, resident_id = attempt.id, attempt.job_id, attempt.resident_id
    with app.app_context():
        with counter.db.read() as session:
            card_job = job_for(_card_for(session, "application", counter.app_id, resident_id),
                               job)
        with open_printer(f"virtual://{name}") as device:
            before = device.counters().cards_inserted
            with counter.db.write() as session:
                attempt_rules.sent(session, attempt_id, before)
            device.print_card(card_job)
    assert counter.state()[1] == (3, 1)  # reserved, not yet recorded
    settled = issuance.settle(counter.db, OPERATOR, attempt_id)
    assert settled.printed
    assert counter.state() == ("DICETAK", (2, 0), ["PRINTED", "RECEIVED"], 1)
    assert len(counter.printed_pngs(name)) == 1  # settled from the counter: not printed again


def test_a_crash_before_sending_releases_the_blank(counter):
    name = counter.printer("p1")
    with counter.db.write() as session:
        attempt = attempt_rules.start(
            session, OPERATOR, source="application", source_id=counter.app_id,
            resident=residents.get(session, counter.nik), printer=printers.get(session, name),
            office_code="33.14")
        attempt_id = attempt.id
    with pytest.raises(Exception, match="already being printed"):
        counter.print(name)
    outcome = issuance.settle(counter.db, OPERATOR, attempt_id)
    assert (outcome.printed, outcome.code) == (False, "not-sent")
    assert counter.state()[1] == (3, 0)
    assert counter.print(name).printed


def test_a_disconnect_mid_card_is_held_then_settled_by_asking_again(counter):
    outcome = counter.print(counter.printer("flaky", fault="disconnect@1"))
    assert (outcome.printed, outcome.held) == (False, True)  # the printer cannot be asked
    assert counter.state()[1] == (3, 1)  # the blank stays set aside until someone knows
    virtual_printers.get("flaky").clear("disconnect")
    settled = issuance.settle(counter.db, OPERATOR, outcome.attempt_id)
    assert (settled.printed, settled.code) == (False, "not-started")
    assert counter.state() == ("GAGAL CETAK", (3, 0), ["RECEIVED"], 0)


@pytest.mark.parametrize("finding, balance, cards", [
    ("printed", (2, 0), 1), ("spoiled", (2, 0), 0), ("untouched", (3, 0), 0)])
def test_a_clerk_resolves_a_held_print(counter, finding, balance, cards):
    outcome = counter.print(counter.printer("gone", fault="disconnect@1"))
    assert outcome.held
    issuance.resolve_held(counter.db, OPERATOR, outcome.attempt_id, finding)
    state, stock_balance, _, printed = counter.state()
    assert (stock_balance, printed) == (balance, cards)
    assert state == ("DICETAK" if finding == "printed" else "GAGAL CETAK")


def test_ktp_print_issues_the_verified_application(counter, app):
    name = counter.printer("cli")
    result = app.test_cli_runner().invoke(args=["print", counter.nik, "--printer", name])
    assert result.exit_code == 0, result.output
    assert counter.state() == ("DICETAK", (2, 0), ["PRINTED", "RECEIVED"], 1)
    again = app.test_cli_runner().invoke(args=["print", counter.nik, "--printer", name])
    assert again.exit_code == 1 and "DICETAK" in again.output


class Crash(Exception):
    """The process dies here (what a SIGKILL leaves, without killing the test)."""


def _crash_during_the_print(counter, app, monkeypatch, printer):
    """Print, and die right after the printer answered: the attempt is left open."""
    real_print = drivers.Printer.print_card

    def print_then_crash(self, job, **kwargs):
        try:
            real_print(self, job, **kwargs)
        finally:
            raise Crash

    with monkeypatch.context() as patch, app.app_context():
        patch.setattr(drivers.Printer, "print_card", print_then_crash)
        with pytest.raises(Crash):
            counter.print(printer)
    with counter.db.read() as session:
        [attempt] = attempt_rules.open_attempts(session)
        return attempt.id, (attempt.counter_before, attempt.panels_before, attempt.panels_in_job)


@pytest.mark.parametrize("fault", ["jam@1", "cover-open@1", "ribbon-ended@1"])
def test_a_blank_spoiled_mid_card_and_cleared_before_settling_is_not_a_card(
    counter, app, monkeypatch, fault
):
    """The operator pulls the jammed blank out (closes the cover, fits a ribbon) before the
    print is settled: one blank taken and the printer idle, as for a card that came out, but
    its panels never printed. The card is not recorded; the blank is recorded spoiled."""
    name = counter.printer("faulty", fault=fault)
    attempt_id, recorded = _crash_during_the_print(counter, app, monkeypatch, name)
    assert recorded == (0, 0, 5)  # blanks taken, panels printed, panels of a YMCKO front
    virtual_printers.get(name).clear(fault.split("@")[0])
    settled = issuance.settle(counter.db, OPERATOR, attempt_id)
    assert (settled.printed, settled.code, settled.card_consumed) == (False, "spoiled", True)
    assert counter.state() == ("GAGAL CETAK", (2, 0), ["SPOILED", "RECEIVED"], 0)
    assert counter.print(name).printed  # printed again, once
    assert len(counter.printed_pngs(name)) == 1


def test_a_card_out_before_the_crash_is_recorded_from_both_counters(counter, app, monkeypatch):
    name = counter.printer("p1")
    attempt_id, recorded = _crash_during_the_print(counter, app, monkeypatch, name)
    assert recorded == (0, 0, 5)
    settled = issuance.settle(counter.db, OPERATOR, attempt_id)
    assert settled.printed
    assert counter.state() == ("DICETAK", (2, 0), ["PRINTED", "RECEIVED"], 1)
    assert len(counter.printed_pngs(name)) == 1
