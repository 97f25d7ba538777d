"""Workers in their own processes, TCP virtual printers in theirs, on SQLite and PostgreSQL:
several workers share a batch, and SIGKILL at any moment neither loses nor doubles a card."""

from __future__ import annotations

import random
import time

import pytest
from sqlalchemy import select

import drivers
from registry import batches
from registry.batch_selection import Selection
from registry.models import PrintAttempt
from registry.models.batch import BatchPrinter
from registry.models.issuance import ATTEMPT_PRINTING

from .checks import assert_exactly_once, make_batch
from .processes import (
    VirtualPrinterProcess,
    WorkerProcess,
    ktp_env,
    printed_jobs,
    spoiled_jobs,
    wait_for,
)

pytestmark = pytest.mark.slow
KECAMATAN = Selection("kecamatan", code="33.14.10")


@pytest.fixture
def plant(app, town, db_url, tmp_path):
    """Printers and workers as processes, torn down whatever happens."""
    env = ktp_env(db_url, tmp_path / "worker-instance")
    started: list = []

    class Plant:
        def printer(self, name: str, **options) -> VirtualPrinterProcess:
            vp = VirtualPrinterProcess(tmp_path, name, env).start(**options)
            started.append(vp)
            town.printer(name, vp.uri)
            return vp

        def worker(self, *names: str, exit_when_idle: bool = True) -> WorkerProcess:
            w = WorkerProcess(env, list(names), tmp_path / "workers.log", exit_when_idle)
            started.append(w)
            return w

    yield Plant()
    for thing in started:
        if isinstance(thing, WorkerProcess) and thing.alive():
            thing.kill()
        elif isinstance(thing, VirtualPrinterProcess):
            thing.stop()


def _batch_state(town, batch_id):
    with town.db.read() as session:
        return batches.get(session, batch_id).state


def test_two_workers_on_two_printers_print_a_batch_exactly_once(plant, town):
    town.people(24)
    town.blanks(30)
    batch_id = make_batch(town, KECAMATAN)
    printers = [plant.printer("p1"), plant.printer("p2")]
    workers = [plant.worker("p1"), plant.worker("p2")]
    for w in workers:
        w.wait()
    assert_exactly_once(town, batch_id, printed_jobs(printers), blanks_before=30, spoiled=0)
    assert _batch_state(town, batch_id) == "done"


def _card_inside(town, printer, after: int):
    """The print attempt (newer than ``after``) whose card the printer is printing now."""
    with town.db.read() as session:
        attempt = session.scalar(select(PrintAttempt.id).where(
            PrintAttempt.state == ATTEMPT_PRINTING, PrintAttempt.counter_before.is_not(None),
            PrintAttempt.id > after))
    return attempt if attempt and drivers.probe(printer.uri)[0].card_inside else None


def test_sigkill_while_the_printer_prints_is_settled_from_its_counter(plant, town):
    town.people(3)
    town.blanks(10)
    batch_id = make_batch(town, KECAMATAN)
    printer = plant.printer("slow", print_seconds=1.5)
    killed = [0]
    for _ in range(2):  # the first card, then the second, each killed mid-print
        worker = plant.worker("slow")
        killed.append(wait_for(lambda: _card_inside(town, printer, killed[-1]),
                               "a card inside the printer"))
        worker.kill()
    plant.worker("slow").wait()
    assert_exactly_once(town, batch_id, printed_jobs([printer]), blanks_before=10, spoiled=0)
    with town.db.read() as session:
        tries = session.execute(select(PrintAttempt.id, PrintAttempt.state)
                                .order_by(PrintAttempt.id)).all()
    assert tries == [(killed[1], "printed"), (killed[2], "printed"), (killed[2] + 1, "printed")]


def test_sigkill_at_random_moments_loses_and_doubles_nothing(plant, town):
    rng = random.Random(20261127)
    town.people(30, desa="33.14.10.1001")
    town.people(10, desa="33.14.10.1002")
    town.blanks(60)
    batch_id = make_batch(town, KECAMATAN)
    printers = [plant.printer("r1", print_seconds=0.05), plant.printer("r2")]
    for _ in range(8):
        workers = [plant.worker("r1", "r2"), plant.worker("r2")]
        time.sleep(rng.uniform(0.5, 3.0))  # start-up takes about a second
        rng.shuffle(workers)
        for w in workers:
            if w.alive():
                w.kill()
            time.sleep(rng.uniform(0, 0.3))
    final = [plant.worker("r1"), plant.worker("r2")]
    for w in final:
        w.wait()
    assert_exactly_once(town, batch_id, printed_jobs(printers), blanks_before=60,
                        spoiled=spoiled_jobs(printers))


def _printer_state(town, name):
    with town.db.read() as session:
        from registry import printers

        printer_id = printers.get(session, name).id
        lease = session.get(BatchPrinter, printer_id)
        return lease.state if lease else None


def test_a_jam_spoils_one_blank_pauses_that_printer_and_the_other_carries_on(plant, town):
    town.people(12)
    town.blanks(20)
    batch_id = make_batch(town, KECAMATAN)
    jammy = plant.printer("jammy", faults=("jam@2",))
    steady = plant.printer("steady", print_seconds=0.1)
    w1, w2 = plant.worker("jammy"), plant.worker("steady")
    wait_for(lambda: _printer_state(town, "jammy") == "fault", "the jam to pause jammy")
    w2.wait()  # the steady printer finishes the batch, the jammed card included
    w1.wait()  # nothing left: the faulted printer's worker stops too
    logs = [jammy, steady]
    assert [e["outcome"] for e in jammy.log()] == ["printed", "spoiled"]
    assert_exactly_once(town, batch_id, printed_jobs(logs), blanks_before=20, spoiled=1)


@pytest.mark.parametrize("fault, cards", [("feeder-empty", 3), ("disconnect@2", 50)])
def test_a_printer_resumes_when_its_fault_is_cleared(plant, town, fault, cards):
    town.people(6)
    town.blanks(10)
    batch_id = make_batch(town, KECAMATAN)
    faults = () if fault == "feeder-empty" else (fault,)
    printer = plant.printer("p1", cards=cards, faults=faults)
    worker = plant.worker("p1")
    wait_for(lambda: _printer_state(town, "p1") == "fault", f"{fault} to pause p1")
    assert worker.alive()  # waiting for the operator, cards still to print
    printer.restart(cards=50)  # cards loaded / cable plugged back in
    worker.wait()
    assert_exactly_once(town, batch_id, printed_jobs([printer]), blanks_before=10, spoiled=0)
