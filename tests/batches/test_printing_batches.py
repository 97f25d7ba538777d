"""A worker prints a batch: each card once, from the stock, with the right reason; pause,
cancel, the rules checked again when a card is taken, faults on one printer of two."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import select, update

from drivers.virtual import registry as virtual_printers
from registry import applications, batch_progress, batches, printer_events, printers, residents
from registry.batch_selection import Selection
from registry.models import AuditEntry, Card, Resident
from registry.models.batch import BatchItem, BatchPrinter

from .checks import (
    assert_exactly_once,
    jobs,
    make_batch,
    run_worker,
    to_print,
    virtual_log,
)
from .conftest import SUPERVISOR
from .processes import WAIT, wait_for

KECAMATAN = Selection("kecamatan", code="33.14.10")


def states(town, batch_id):
    with town.db.read() as session:
        return batch_progress.progress(session, batches.get(session, batch_id)).counts


def test_each_card_prints_once_as_a_reprint_or_a_first_card_with_the_batch_reason(app, town):
    town.people(4)
    town.blanks(10)
    earlier = make_batch(town, KECAMATAN, reason="first cards for the next phase")
    town.printer("p1")
    run_worker(app, "p1")
    batch_id = make_batch(town, KECAMATAN, reason="new card layout 2026")
    run_worker(app, "p1")
    both = to_print(town, earlier) + to_print(town, batch_id)
    assert jobs(virtual_log("p1")) == Counter(dict.fromkeys(both, 1))
    assert town.balance() == (2, 0)
    with town.db.read() as session:
        assert batches.get(session, earlier).state == batches.get(session, batch_id).state == "done"
        reasons = [(c.copy_number, c.reason) for c in session.scalars(select(Card).order_by(Card.id))]
        assert reasons == [(1, "BARU")] * 4 + [(2, "CETAK ULANG")] * 4
        card = session.scalar(select(Card).order_by(Card.id.desc()))
        assert card.printed_by.startswith("worker:") and card.replaces_card_id is not None
        notes = {e.entity_key: e.note for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "batch.card_printed"))}
        assert notes[f"{card.nik}/2"] == "new card layout 2026"


def test_a_batch_never_prints_beyond_the_stock_and_goes_on_when_blanks_arrive(app, town):
    town.people(5)
    town.blanks(3)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("p1")
    run_worker(app, "p1")
    assert states(town, batch_id)["printed"] == 3 and states(town, batch_id)["pending"] == 2
    assert town.balance() == (0, 0)
    town.blanks(4)
    run_worker(app, "p1")
    assert_exactly_once(town, batch_id, jobs(virtual_log("p1")), blanks_before=7, spoiled=0)


def test_a_paused_batch_gives_no_cards_and_a_cancelled_one_stops(app, town):
    town.people(3)
    town.blanks(10)
    first = make_batch(town, Selection("niks", niks=tuple(town.people(2))))
    with town.db.write() as session:
        batches.pause(session, SUPERVISOR, batches.get(session, first))
    second = make_batch(town, KECAMATAN)
    with town.db.write() as session:
        batches.cancel(session, SUPERVISOR, batches.get(session, second))
    town.printer("p1")
    run_worker(app, "p1")
    assert virtual_log("p1") == []
    assert states(town, first)["pending"] == 2
    assert states(town, second)["cancelled"] == 3
    with town.db.write() as session:
        batches.resume(session, SUPERVISOR, batches.get(session, first))
    run_worker(app, "p1")
    assert_exactly_once(town, first, jobs(virtual_log("p1")), blanks_before=10, spoiled=0)


def test_the_rules_are_checked_again_when_a_card_is_taken(app, town):
    dies, counter, fine = town.people(3)
    town.blanks(10)
    batch_id = make_batch(town, KECAMATAN)
    with town.db.write() as session:
        session.execute(update(Resident).where(Resident.nik == dies).values(status="MENINGGAL"))
        applications.submit(session, SUPERVISOR, residents.get(session, counter), "33.14")
    town.printer("p1")
    run_worker(app, "p1")
    with town.db.read() as session:
        got = {i.nik: (i.state, i.skip_code) for i in session.scalars(
            select(BatchItem).where(BatchItem.batch_id == batch_id))}
    assert got == {dies: ("skipped", "deceased"), counter: ("skipped", "open-application"),
                   fine: ("printed", None)}
    assert len(virtual_log("p1")) == 1


def test_a_jam_on_one_printer_spoils_one_blank_and_the_other_printer_prints_the_rest(app, town):
    town.people(6)
    town.blanks(10)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("jammy", fault="jam@2")
    town.printer("steady")
    run_worker(app, "jammy", "steady")
    log = virtual_log("jammy", "steady")
    assert [e["outcome"] for e in virtual_printers.get("jammy").records] == ["printed", "spoiled"]
    assert_exactly_once(town, batch_id, jobs(log), blanks_before=10, spoiled=1)
    spoiled_card = next(iter(jobs(log, "spoiled")))
    with town.db.read() as session:
        item = session.get(BatchItem, spoiled_card)
        assert (item.state, item.spoiled, item.attempts) == ("printed", 1, 2)
        jammy = printers.get(session, "jammy").id
        assert printer_events.last(session, jammy).code == "jam"


def test_progress_counts_every_state_and_the_rate(app, town):
    town.people(4)
    town.people(1, photo=False)
    town.blanks(2)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("p1")
    run_worker(app, "p1")
    with town.db.read() as session:
        progress = batch_progress.progress(session, batches.get(session, batch_id))
    assert progress.counts == {"pending": 2, "printing": 0, "held": 0, "printed": 2,
                               "failed": 0, "skipped": 1, "cancelled": 0}
    assert (progress.total, progress.done, progress.remaining) == (5, 3, 2)
    assert len(to_print(town, batch_id)) == 4
    # No blank left: the cards wait, and no time left is guessed from the rate meanwhile.
    assert progress.per_minute > 0 and progress.seconds_left is None
    assert (progress.waiting_for_stock, progress.blanks_available) == (True, 0)
    town.blanks(1)
    with town.db.read() as session:
        progress = batch_progress.progress(session, batches.get(session, batch_id))
    assert progress.seconds_left > 0
    assert (progress.waiting_for_stock, progress.blanks_available) == (False, 1)


def test_disabling_a_printer_stops_the_worker_driving_it(app, town):
    town.printer("p1")
    worker = threading.Thread(target=run_worker, args=(app, "p1"),
                              kwargs={"lease_seconds": 1.0, "exit_when_idle": False})
    worker.start()
    wait_for(lambda: getattr(_lease(town, "p1"), "token", None), "the worker to drive p1")
    with town.db.write() as session:
        printers.get(session, "p1").enabled = False
    worker.join(timeout=WAIT)
    assert not worker.is_alive()
    lease = _lease(town, "p1")
    assert (lease.token, lease.state) == (None, "stopped")


def _lease(town, name):
    with town.db.read() as session:
        return session.get(BatchPrinter, printers.get(session, name).id)
