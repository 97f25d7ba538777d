"""A worker dies at each step of printing a card; the next worker settles the card by asking
the printer, then prints what is left: each card exactly once, the stock ledger exact.

Dying is simulated in this process: a `Crash` (not an Exception, so nothing catches it) stops
the step where it is and leaves the database as the dead worker committed it, with the
printer's lease held by a process that has exited. The multi-process tests SIGKILL real ones.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import threading

import pytest
from sqlalchemy import func, select

import drivers.evolis.printer
from app import issuance
from app.batches import host
from drivers.virtual import registry as virtual_printers
from registry import batch_leases, batch_queue, batches, printers
from registry.audit import Actor
from registry.batch_leases import Holder
from registry.batch_selection import Selection
from registry.models import PrintAttempt
from registry.models.batch import BatchItem

from .checks import assert_exactly_once, jobs, make_batch, run_worker, virtual_log
from .processes import wait_for

KECAMATAN = Selection("kecamatan", code="33.14.10")
DEAD = Actor("worker:dead")


class Crash(BaseException):
    """The worker's process ends here (power cut, SIGKILL)."""


def dead_holder() -> Holder:
    """A process of this host that has exited."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return Holder(host.this_process().host, proc.pid, "1")


def take_first_card(town, printer: str) -> batch_queue.Claim:
    """What a worker does before printing: hold the printer's lease, take a card."""
    with town.db.write() as session:
        printer_id = printers.get(session, printer).id
        batch_leases.acquire(session, printer_id, printer, dead_holder(),
                             ttl=dt.timedelta(minutes=5), gone=lambda *_: False)
        return batch_queue.claim(session, printer_id)


def print_until(app, town, monkeypatch, claim, step: str) -> None:
    """Print the taken card through `app.issuance`, dying at ``step``."""
    real_print = drivers.evolis.printer.Printer.print_card

    def crash(*_args, **_kwargs):
        raise Crash(step)

    def card_out_then_crash(self, job, **kwargs):
        real_print(self, job, **kwargs)
        raise Crash(step)

    patches = {
        "drawing the card": ("app.issuance.job_for", crash),
        "before sending": ("drivers.evolis.printer.Printer.print_card", crash),
        "card out": ("drivers.evolis.printer.Printer.print_card", card_out_then_crash),
        "recording": ("registry.batch_queue.printed", crash),
    }
    with monkeypatch.context() as patch, app.app_context():
        patch.setattr(*patches[step])
        with pytest.raises(Crash):
            issuance.print_for(town.db, DEAD, batch_queue.SOURCE,
                               claim.item_id, claim.nik, "p1", claim.office_code)


def attempts_of(town, item_id):
    with town.db.read() as session:
        return session.scalar(select(func.count()).select_from(PrintAttempt).where(
            PrintAttempt.source == "batch", PrintAttempt.source_id == item_id))


@pytest.mark.parametrize("step, tries", [
    ("taking the card", 1),  # no print began: the card goes back to the queue
    ("drawing the card", 2),  # nothing was sent: the open print is closed, printed again
    ("before sending", 2),  # counter unchanged: not started, printed again
    ("card out", 1),  # counter moved, printer idle: it came out, recorded, not printed again
    ("recording", 1),  # the record was rolled back; the card is out: recorded once
])
def test_a_worker_dying_at_any_step_leaves_each_card_printed_once(app, town, monkeypatch,
                                                                  step, tries):
    town.people(3)
    town.blanks(5)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("p1")
    claim = take_first_card(town, "p1")
    if step != "taking the card":
        print_until(app, town, monkeypatch, claim, step)
    run_worker(app, "p1")
    assert_exactly_once(town, batch_id, jobs(virtual_log("p1")), blanks_before=5, spoiled=0)
    assert attempts_of(town, claim.item_id) == tries


def test_a_worker_dying_while_the_card_is_jammed_records_a_spoiled_blank(app, town,
                                                                        monkeypatch):
    """The printer says the card is jammed, so settling calls it spoiled at once."""
    town.people(2)
    town.blanks(5)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("p1", fault="jam@1")
    claim = take_first_card(town, "p1")
    real_print = drivers.evolis.printer.Printer.print_card

    def jam_then_crash(self, job, **kwargs):
        try:
            real_print(self, job, **kwargs)
        finally:
            raise Crash("jammed")

    with monkeypatch.context() as patch, app.app_context():
        patch.setattr("drivers.evolis.printer.Printer.print_card", jam_then_crash)
        with pytest.raises(Crash):
            issuance.print_for(town.db, DEAD, batch_queue.SOURCE,
                               claim.item_id, claim.nik, "p1", claim.office_code)
    worker = threading.Thread(target=run_worker, args=(app, "p1"))
    worker.start()
    wait_for(lambda: _spoiled(town, claim.item_id), "the jammed card settled as spoiled")
    virtual_printers.get("p1").clear("jam")  # the operator pulls the card out
    worker.join()
    assert_exactly_once(town, batch_id, jobs(virtual_log("p1")), blanks_before=5, spoiled=1)


def _spoiled(town, item_id):
    with town.db.read() as session:
        return session.get(BatchItem, item_id).spoiled == 1


def test_a_card_taken_by_a_dead_worker_of_a_batch_cancelled_since_is_cancelled(app, town):
    town.people(2)
    town.blanks(5)
    batch_id = make_batch(town, KECAMATAN)
    town.printer("p1")
    claim = take_first_card(town, "p1")
    with town.db.write() as session:
        batches.cancel(session, DEAD, batches.get(session, batch_id))
    run_worker(app, "p1")
    assert virtual_log("p1") == []
    with town.db.read() as session:
        assert session.get(BatchItem, claim.item_id).state == "cancelled"
    assert town.balance() == (5, 0)
