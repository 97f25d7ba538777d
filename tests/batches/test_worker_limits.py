"""What a worker will not do: drive a printer that cannot confirm a card came out, try a card
that keeps failing forever or at once again, take the cards of another office's batch, or stop
without saying that cards wait for blanks."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

import drivers
from app.batches import printer_loop
from app.batches.status import status
from registry import batch_queue, batches, printers
from registry.batch_selection import Selection
from registry.models import PrintAttempt, StockMovement
from registry.models.batch import BatchItem, BatchPrinter

from .checks import jobs, make_batch, run_worker, run_worker_until, virtual_log
from .processes import WAIT

KECAMATAN = Selection("kecamatan", code="33.14.10")


def items(town, batch_id):
    with town.db.read() as session:
        return [(i.state, i.attempts, i.message) for i in session.scalars(
            select(BatchItem).where(BatchItem.batch_id == batch_id).order_by(BatchItem.id))]


def test_a_worker_given_a_file_printer_prints_nothing_on_it(app, town, tmp_path):
    town.people(1)
    town.blanks(5)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("f2", f"file://{tmp_path}/f2.evolis")
    assert run_worker_until(app, "f2", seconds=WAIT)
    assert items(town, batch_id) == [("pending", 0, None)]
    assert not (tmp_path / "f2.evolis").exists()
    assert town.balance() == (5, 0)


def test_a_printer_found_one_way_only_when_opened_is_let_go_after_one_try(
        app, town, tmp_path, monkeypatch):
    """A USB printer without a way back says so only once it is opened."""
    monkeypatch.setattr(printer_loop, "cannot_confirm", lambda uri: False)
    town.people(2)
    town.blanks(5)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("f2", f"file://{tmp_path}/f2.evolis")
    assert run_worker_until(app, "f2", seconds=WAIT)
    (first_state, first_tries, message), second = items(town, batch_id)
    assert (first_state, first_tries) == ("pending", 1) and message.startswith("one-way")
    assert second == ("pending", 0, None)
    with town.db.read() as session:
        lease = session.get(BatchPrinter, printers.get(session, "f2").id)
        assert lease.state == "stopped" and "cannot answer" in lease.detail
    assert town.balance() == (5, 0)


def test_a_card_failing_for_no_printer_fault_is_failed_for_a_person_after_three_tries(
        app, town, monkeypatch):
    def refuse(self, job, *, expect_cards_inserted=None):
        raise drivers.InvalidJobError("the printer cannot take this job")

    monkeypatch.setattr(drivers.Printer, "print_card", refuse)
    slept = []
    sleep = printer_loop.PrinterLoop._sleep
    monkeypatch.setattr(printer_loop.PrinterLoop, "_sleep",
                        lambda self, seconds: (slept.append(seconds), sleep(self, seconds)))
    town.people(1)
    town.blanks(5)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("p1")
    assert run_worker_until(app, "p1", seconds=WAIT, poll_seconds=0.05)
    ((state, tries, message),) = items(town, batch_id)
    assert (state, tries) == ("failed", 3)
    assert message.startswith("failed 3 times, not for a printer fault; last: invalid-job")
    assert slept.count(0.05) >= 2  # a pause after each failed card, not straight at it again
    with app.app_context(), town.db.read() as session:
        shown = status(session, batches.get(session, batch_id))
        assert shown["state"] == "done" and shown["failures"][0]["message"] == message
        assert session.scalar(select(func.count()).select_from(PrintAttempt)) == 3
    assert town.balance() == (5, 0)


def test_faults_spoiled_blanks_and_interrupted_prints_do_not_count_against_the_card(town):
    from app.batches.source import NOT_THE_CARDS

    town.people(1)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("p1")
    with town.db.write() as session:
        item = session.scalar(select(BatchItem).where(BatchItem.batch_id == batch_id))
        printer_id = printers.get(session, "p1").id
        for code in ("jam", "offline", "not-started", "not-sent", "untouched", "spoiled",
                     "invalid-job"):
            session.add(PrintAttempt(source="batch", source_id=item.id, printer_id=printer_id,
                                     resident_id=item.resident_id, office_code="33.14",
                                     job_id=f"j-{code}", state="failed", error_code=code,
                                     actor="test"))
        session.flush()
        assert batch_queue.failures(session, item.id, NOT_THE_CARDS) == 1


def test_a_printer_takes_only_the_cards_of_its_own_office(app, town):
    town.people(2)
    town.blanks(5)
    town.blanks(5, office="33.14.10")
    batch_id = make_batch(town, KECAMATAN)  # printed from office 33.14's blanks
    town.printer("kec", office="33.14.10")
    assert run_worker_until(app, "kec", seconds=WAIT)
    assert virtual_log("kec") == []
    with town.db.read() as session:
        kec = printers.get(session, "kec").id
        assert isinstance(batch_queue.claim(session, kec), batch_queue.NoCard)
        assert session.scalar(select(func.count()).select_from(StockMovement).where(
            StockMovement.kind == "PRINTED")) == 0
    assert town.balance() == (5, 0) and town.balance("33.14.10") == (5, 0)
    town.printer("kpt")
    run_worker(app, "kpt")
    assert sorted(jobs(virtual_log("kpt"))) == _ids(town, batch_id)
    assert town.balance() == (3, 0) and town.balance("33.14.10") == (5, 0)


def test_a_printer_of_no_office_takes_the_cards_of_any_office(app, town):
    town.people(1)
    town.blanks(5)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("shared", office=None)
    run_worker(app, "shared")
    assert list(jobs(virtual_log("shared"))) == _ids(town, batch_id)
    assert town.balance() == (4, 0)


def _ids(town, batch_id):
    with town.db.read() as session:
        return session.scalars(select(BatchItem.id).where(BatchItem.batch_id == batch_id)
                               .order_by(BatchItem.id)).all()


def test_a_worker_out_of_blanks_says_the_cards_wait_for_them(app, town, caplog):
    town.people(3)
    town.blanks(1)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("p1")
    with caplog.at_level(logging.INFO, logger="ktp.worker"):
        run_worker(app, "p1")
    said = [r.getMessage() for r in caplog.records if "stopping" in r.getMessage()]
    assert said == ["printer p1: stopping with cards left: they wait for blank cards at office "
                    "33.14 (none left); receive blanks, then start a worker again"]
    assert "no card left to take" not in caplog.text
    assert [state for state, _, _ in items(town, batch_id)] == ["printed", "pending", "pending"]
