"""Making a batch: who is in it, who is skipped and why, and what may be done to it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from registry import applications, batches, residents
from registry.batch_selection import Candidate, Selection
from registry.errors import ConflictError, InvalidRecordError
from registry.models import AuditEntry, Resident
from registry.models.batch import BatchItem

from .checks import make_batch
from .conftest import NGLOROG, SINE, SUPERVISOR

KECAMATAN = Selection("kecamatan", code="33.14.10")


def rows(town, batch_id):
    with town.db.read() as session:
        return [(i.nik, i.state, i.skip_code) for i in session.scalars(
            select(BatchItem).where(BatchItem.batch_id == batch_id).order_by(BatchItem.id))]


def set_status(town, nik, status):
    with town.db.write() as session:
        session.execute(update(Resident).where(Resident.nik == nik).values(status=status))


def test_a_kecamatan_batch_lists_everyone_in_village_order_and_says_why_some_are_skipped(town):
    sine = town.people(3, SINE)
    nglorog = town.people(2, NGLOROG)
    other_kecamatan = town.people(1, "33.14.01.2001")
    no_photo = town.people(1, SINE, photo=False)
    no_signature = town.people(1, NGLOROG, signature=False)
    child = town.people(1, SINE, tanggal_lahir=dt.date.today() - dt.timedelta(days=3650),
                        status_perkawinan="BELUM KAWIN")
    set_status(town, sine[0], "MENINGGAL")
    set_status(town, sine[1], "PINDAH")
    with town.db.write() as session:
        applications.submit(session, SUPERVISOR, residents.get(session, nglorog[0]), "33.14")
    batch_id = make_batch(town, KECAMATAN)
    got = rows(town, batch_id)
    assert [nik for nik, _, _ in got] == sorted(sine + no_photo + child) + sorted(
        nglorog + no_signature)
    assert other_kecamatan[0] not in {nik for nik, _, _ in got}
    skipped = {nik: code for nik, state, code in got if state == "skipped"}
    assert skipped == {sine[0]: "deceased", sine[1]: "moved-out", no_photo[0]: "no-photo",
                       no_signature[0]: "no-signature", child[0]: "not-eligible",
                       nglorog[0]: "open-application"}
    assert {state for nik, state, _ in got if nik not in skipped} == {"pending"}
    with town.db.read() as session:
        batch = batches.get(session, batch_id)
        assert (batch.total, batch.skipped, batch.state) == (8, 6, "running")
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "batch.create"))
        assert entry.note == "new card layout" and entry.actor == "supervisor"


def test_a_nik_list_keeps_its_order_and_names_bad_unknown_and_repeated_niks(town):
    a, b = town.people(2)
    listed = (b, "3314", "3314999999990001", a, b)
    batch_id = make_batch(town, Selection("niks", niks=listed, source="rusak.csv"))
    assert rows(town, batch_id) == [
        (b, "pending", None), ("3314", "skipped", "invalid-nik"),
        ("3314999999990001", "skipped", "not-found"), (a, "pending", None),
        (b, "skipped", "duplicate")]
    with town.db.read() as session:
        assert batches.get(session, batch_id).label == "5 NIKs from rusak.csv"


def test_a_resident_is_in_one_unfinished_batch_at_a_time(town):
    a, b = town.people(2)
    first = make_batch(town, Selection("niks", niks=(a,)))
    second = make_batch(town, Selection("niks", niks=(a, b)))
    assert rows(town, second) == [(a, "skipped", "in-other-batch"), (b, "pending", None)]
    with town.db.write() as session:
        batches.cancel(session, SUPERVISOR, batches.get(session, first))
    third = make_batch(town, Selection("niks", niks=(a,)))
    assert rows(town, third) == [(a, "pending", None)]


def test_the_database_refuses_a_second_unfinished_card_for_one_resident(town):
    (a,) = town.people(1)
    first = make_batch(town, Selection("niks", niks=(a,)))
    with pytest.raises(Exception, match=r"(?i)unique"), town.db.write() as session:
        item = session.scalar(select(BatchItem).where(BatchItem.batch_id == first))
        session.add(BatchItem(batch_id=first, resident_id=item.resident_id, nik=a))


def test_two_batches_made_at_the_same_moment_cannot_both_take_a_resident(town):
    """What the unique index answers when a concurrent batch won the race (checked rows in
    hand, the insert finds the resident taken)."""
    (a,) = town.people(1)
    first = make_batch(town, Selection("niks", niks=(a,)))
    with pytest.raises(ConflictError, match="same moment"), town.db.write() as session:
        resident_id = residents.get(session, a).id
        batches._write_items(session, first, [Candidate(a, resident_id)])


def test_a_search_batch_and_an_area_limit(town):
    town.people(2, SINE)
    town.people(1, "33.14.01.2001")
    batch_id = make_batch(town, Selection("search", q="warga"))
    assert len(rows(town, batch_id)) == 3
    with town.db.write() as session:
        batches.cancel(session, SUPERVISOR, batches.get(session, batch_id))
        limited = batches.create(session, SUPERVISOR, Selection("search", q="warga"),
                                 reason="x", office_code="33.14", area="33.14.10")
        codes = [i.skip_code for i in session.scalars(
            select(BatchItem).where(BatchItem.batch_id == limited.id))]
    assert sorted(codes, key=str) == [None, None, "outside-area"]


@pytest.mark.parametrize("selection, reason, office, field", [
    (KECAMATAN, " ", "33.14", "reason"),
    (KECAMATAN, "x", "33.99", "office"),
    (Selection("kecamatan", code="33.14.10.1001"), "x", "33.14", "kecamatan"),
    (Selection("desa", code="33.14.10"), "x", "33.14", "desa"),
    (Selection("kecamatan", code="33.14.20"), "x", "33.14", "selection"),
    (Selection("search", q=" "), "x", "33.14", "q"),
])
def test_bad_batches_are_refused_with_the_field_named(town, selection, reason, office, field):
    with pytest.raises(InvalidRecordError) as refused, town.db.write() as session:
        batches.create(session, SUPERVISOR, selection, reason=reason, office_code=office)
    assert field in refused.value.errors


@pytest.mark.parametrize("selection, example, not_example", [
    (Selection("kecamatan", code="33.14.10.1001"), "like 33.14.10)", "33.14.10.2007"),
    (Selection("desa", code="33.14.10"), "like 33.14.10.2007)", "like 33.14.10)"),
])
def test_a_wrong_level_of_area_is_answered_with_an_example_of_the_right_one(
        town, selection, example, not_example):
    with pytest.raises(InvalidRecordError) as refused, town.db.write() as session:
        batches.create(session, SUPERVISOR, selection, reason="x", office_code="33.14")
    (message,) = refused.value.errors[selection.kind]
    assert example in message and not_example not in message


def test_a_search_in_an_area_that_is_no_region_names_the_area(town):
    """``33.14.99`` looks like a kecamatan code but is none: the search found nobody and the
    refusal said so of the selection, not of the code."""
    town.people(1)
    with pytest.raises(InvalidRecordError) as refused, town.db.write() as session:
        batches.create(session, SUPERVISOR, Selection("search", q="warga", code="33.14.99"),
                       reason="x", office_code="33.14")
    assert refused.value.errors == {"area": ["'33.14.99' is not a region code (like 33.14.10 "
                                             "or 33.14.10.2007)"]}
    with town.db.write() as session:  # a kabupaten, a kecamatan or a desa is an area
        for area in ("33.14", "33.14.10", SINE):
            made = batches.create(session, SUPERVISOR,
                                  Selection("search", q="warga", code=area), reason="x",
                                  office_code="33.14")
            batches.cancel(session, SUPERVISOR, made)


def test_an_area_is_refused_with_any_choice_but_a_search():
    from app.batches.selection import from_choice

    for choice in ({"kecamatan": "33.14.10"}, {"desa": "33.14.10.1001"}, {"niks": ["1"]}):
        with pytest.raises(InvalidRecordError) as refused:
            from_choice(**choice, area="33.14.10")
        assert "area" in refused.value.errors
    assert from_choice(q="warga", area="33.14.10") == Selection("search", q="warga",
                                                                 code="33.14.10")


def test_pause_resume_cancel_follow_the_batch_states(town):
    town.people(3)
    batch_id = make_batch(town, KECAMATAN)
    with town.db.write() as session:
        batch = batches.get(session, batch_id)
        with pytest.raises(ConflictError):
            batches.resume(session, SUPERVISOR, batch)
        batches.pause(session, SUPERVISOR, batch)
        batches.resume(session, SUPERVISOR, batch)
        assert batches.cancel(session, SUPERVISOR, batch) == 3
        with pytest.raises(ConflictError):
            batches.pause(session, SUPERVISOR, batch)
    assert {state for _, state, _ in rows(town, batch_id)} == {"cancelled"}


def test_a_batch_where_nobody_can_get_a_card_is_done_at_once(town):
    town.people(2, photo=False)
    batch_id = make_batch(town, KECAMATAN)
    with town.db.read() as session:
        assert batches.get(session, batch_id).state == "done"


def test_retry_queues_skipped_cards_whose_reason_has_gone(town, card_images):
    (a,) = town.people(1, photo=False)
    batch_id = make_batch(town, KECAMATAN)
    assert rows(town, batch_id) == [(a, "skipped", "no-photo")]
    with town.db.write() as session:
        assert batches.retry(session, SUPERVISOR, batches.get(session, batch_id)) == 0
        data, media, width, height = card_images["photo"]
        from registry import images

        images.store(session, SUPERVISOR, residents.get(session, a), "photo", data,
                     media_type=media, width=width, height=height)
    with town.db.write() as session:
        batch = batches.get(session, batch_id)
        assert batches.retry(session, SUPERVISOR, batch) == 1
        assert (batch.state, batch.skipped) == ("running", 0)
    assert rows(town, batch_id) == [(a, "pending", None)]
