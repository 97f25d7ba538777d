"""The queue hands each card to one printer only, even to workers racing for it; a printer's
lease belongs to one live worker and fences a worker that was taken over."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import threading

import pytest
from sqlalchemy import select

from app.batches import host
from registry import batch_leases, batch_queue, batches, cards, printers
from registry.batch_leases import Holder, LeaseHeldError, LeaseLostError
from registry.batch_selection import Selection
from registry.db import Database
from registry.models import utcnow
from registry.models.batch import BatchItem

from .checks import make_batch
from .conftest import SUPERVISOR

TTL = dt.timedelta(seconds=60)
ALIVE = Holder("elsewhere", 4242)


def never_gone(*_):
    return False


def test_workers_racing_for_cards_each_get_different_ones(town, db_url):
    town.people(60)
    town.blanks(100)
    batch_id = make_batch(town, Selection("kecamatan", code="33.14.10"))
    ids = [town.printer(f"p{i}") for i in range(4)]
    with town.db.read() as session:
        printer_ids = [printers.get(session, name).id for name in ids]
    taken: list[list[int]] = [[] for _ in printer_ids]
    start = threading.Barrier(len(printer_ids))

    def work(index: int) -> None:
        database = Database(db_url)  # its own engine and connections, as a process has
        start.wait()
        while True:
            with database.write() as session:
                got = batch_queue.claim(session, printer_ids[index])
            if isinstance(got, batch_queue.NoCard):
                break
            taken[index].append(got.item_id)
        database.dispose()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(printer_ids))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [item for mine in taken for item in mine]
    with town.db.read() as session:
        rows = session.execute(select(BatchItem.id, BatchItem.state, BatchItem.printer_id)
                               .where(BatchItem.batch_id == batch_id)).all()
    assert sorted(everything) == sorted(r.id for r in rows)  # each card once, none left
    owner = {item: printer_ids[i] for i, mine in enumerate(taken) for item in mine}
    assert all(r.state == "printing" and r.printer_id == owner[r.id] for r in rows)


def _printer(town):
    town.printer("p1")
    with town.db.read() as session:
        return printers.get(session, "p1").id


def test_a_printer_has_one_live_worker_and_a_dead_ones_lease_is_taken_over(town):
    printer_id = _printer(town)
    with town.db.write() as session:
        first = batch_leases.acquire(session, printer_id, "p1", ALIVE, ttl=TTL, gone=never_gone)
    with pytest.raises(LeaseHeldError, match="elsewhere pid 4242"), town.db.write() as session:
        batch_leases.acquire(session, printer_id, "p1", Holder("here", 1), ttl=TTL,
                             gone=never_gone)
    with town.db.write() as session:  # the first worker's process has ended
        second = batch_leases.acquire(session, printer_id, "p1", Holder("here", 1), ttl=TTL,
                                      gone=lambda host, pid, _: pid == 4242)
    assert second != first
    with pytest.raises(LeaseLostError), town.db.write() as session:
        batch_leases.report(session, printer_id, first, "printing")
    with town.db.write() as session:
        assert not batch_leases.heartbeat(session, printer_id, first)
        assert batch_leases.heartbeat(session, printer_id, second)


def test_a_silent_workers_lease_runs_out(town):
    printer_id = _printer(town)
    long_ago = utcnow() - dt.timedelta(minutes=5)
    with town.db.write() as session:
        batch_leases.acquire(session, printer_id, "p1", ALIVE, ttl=TTL, gone=never_gone,
                             now=long_ago)
    with town.db.write() as session:
        assert batch_leases.acquire(session, printer_id, "p1", Holder("here", 1), ttl=TTL,
                                    gone=never_gone)


def test_a_released_lease_is_free_at_once(town):
    printer_id = _printer(town)
    with town.db.write() as session:
        token = batch_leases.acquire(session, printer_id, "p1", ALIVE, ttl=TTL, gone=never_gone)
        batch_leases.release(session, printer_id, token)
    with town.db.write() as session:
        assert batch_leases.acquire(session, printer_id, "p1", Holder("here", 1), ttl=TTL,
                                    gone=never_gone)


def test_this_host_knows_whether_a_process_has_ended():
    me = host.this_process()
    assert not host.gone(me.host, me.pid, me.pid_started)
    assert host.gone(me.host, me.pid, "not-when-it-started")  # a reused pid
    ended = subprocess.Popen(["true"])
    ended.wait()
    assert host.gone(me.host, ended.pid, None)
    assert not host.gone("another-machine", ended.pid, None)
    assert me.pid == os.getpid()


def test_a_card_spoiling_blanks_again_and_again_is_failed_for_a_person(town):
    town.people(1)
    town.blanks(5)
    make_batch(town, Selection("kecamatan", code="33.14.10"))
    printer_id = _printer(town)
    states = []
    for _ in range(3):
        with town.db.write() as session:
            claim = batch_queue.claim(session, printer_id)
            states.append(batch_queue.failed(session, claim.item_id, code="jam", consumed=True,
                                             message="card jam", max_spoiled=3))
    assert states == ["pending", "pending", "failed"]
    with town.db.read() as session:
        item = session.get(BatchItem, claim.item_id)
        assert item.message == "3 blanks spoiled on this card; last: jam: card jam"
        assert item.batch.state == "done"


def test_a_batch_is_done_as_its_last_card_is_recorded(town):
    """Recording a card tells whether another of its batch is still to come out: the batch is
    finished in that same transaction, not by the next worker looking for cards."""
    town.people(2)
    town.blanks(5)
    batch_id = make_batch(town, Selection("kecamatan", code="33.14.10"))
    printer_id = _printer(town)

    def take_and_record() -> str:
        with town.db.write() as session:
            claim = batch_queue.claim(session, printer_id)
            card = cards.inserted(session, SUPERVISOR, claim.resident, reason=claim.reason,
                                  office_code=claim.office_code, photo_id=claim.photo_id,
                                  signature_id=claim.signature_id)
            batch_queue.printed(session, SUPERVISOR, claim.item_id, card)
        with town.db.read() as session:
            return batches.get(session, batch_id).state

    assert take_and_record() == "running"
    assert take_and_record() == "done"
