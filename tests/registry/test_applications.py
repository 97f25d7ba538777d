"""Who gets a KTP, what a reprint needs, and the states an application goes through."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from registry import applications, cards, images, offices, residents
from registry.audit import Actor
from registry.errors import ConflictError, InvalidRecordError
from registry.models import ApplicationEvent, AuditEntry

from .factories import record_card, resident_fields

OPERATOR = Actor("operator", office_code="33.14")
SUPERVISOR = Actor("supervisor", office_code="33.14")


@pytest.fixture
def person(db, clerk):
    with db.write() as session:
        offices.add(session, clerk, "33.14")
        return residents.register(session, clerk, resident_fields()).nik


def submit(db, nik, **kw):
    with db.write() as session:
        resident = residents.get(session, nik)
        return applications.submit(session, OPERATOR, resident, "33.14", **kw).id


def capture(db, application_id):
    with db.write() as session:
        application = applications.get(session, application_id)
        for kind in ("photo", "signature"):
            image = images.store(session, OPERATOR, application.resident, kind, b"x",
                                 media_type="image/png", width=1, height=1)
            applications.attach_image(session, OPERATOR, application, kind, image.id)


def issue(db, nik, **kw):
    """Submit, capture, verify, 'print' and hand over; returns the card's copy number."""
    app_id = submit(db, nik, **kw)
    capture(db, app_id)
    with db.write() as session:
        application = applications.get(session, app_id)
        applications.verify(session, SUPERVISOR, application)
        card = record_card(session, OPERATOR, application.resident, reason=kw.get("reason") or "BARU",
                           office_code="33.14", photo_id=application.photo_id,
                           signature_id=application.signature_id, application_id=app_id)
        applications.printed(session, OPERATOR, application, card)
        applications.hand_over(session, OPERATOR, application, "the resident")
        return card.copy_number


@pytest.mark.parametrize("changes, reason", [
    ({"tanggal_lahir": dt.date.today() - dt.timedelta(days=365 * 16)}, "under 17"),
    ({"kewarganegaraan": "WNA", "itap_berlaku_hingga": dt.date(2020, 1, 1)}, "ITAP"),
])
def test_who_may_not_get_a_card(db, clerk, changes, reason):
    with db.write() as session:
        offices.add(session, clerk, "33.14")
        resident = residents.register(session, clerk, resident_fields(
            status_perkawinan="BELUM KAWIN", **changes))
        with pytest.raises(InvalidRecordError) as caught:
            applications.submit(session, OPERATOR, resident, "33.14")
    assert reason in caught.value.errors["resident"][0]


def test_married_under_17_may_and_the_dead_may_not(db, clerk, person):
    young = dt.date.today() - dt.timedelta(days=365 * 16)
    with db.write() as session:
        married = residents.register(session, clerk, resident_fields(
            nama="ANI", tanggal_lahir=young, status_perkawinan="KAWIN"))
        assert applications.submit(session, OPERATOR, married, "33.14").kind == "BARU"
        residents.update(session, clerk, person, {"status": "MENINGGAL"})
        with pytest.raises(InvalidRecordError) as caught:
            applications.submit(session, OPERATOR, residents.get(session, person), "33.14")
    assert "meninggal" in caught.value.errors["resident"][0]


def test_a_first_card_goes_through_every_state_on_its_timeline(db, person):
    app_id = submit(db, person)
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        applications.verify(session, SUPERVISOR, applications.get(session, app_id))
    assert set(caught.value.errors) == {"photo", "signature"}
    assert issue_rest(db, app_id) == 1
    with db.read() as session:
        events = session.scalars(select(ApplicationEvent.to_state)
                                 .where(ApplicationEvent.application_id == app_id)
                                 .order_by(ApplicationEvent.id)).all()
        audited = session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "application")).all()
    assert events == ["DIAJUKAN", "DIVERIFIKASI", "DICETAK", "DISERAHKAN"]
    assert "application.diserahkan" in audited


def issue_rest(db, app_id):
    capture(db, app_id)
    with db.write() as session:
        application = applications.get(session, app_id)
        applications.verify(session, SUPERVISOR, application)
        card = record_card(session, OPERATOR, application.resident, reason="BARU",
                           office_code="33.14", photo_id=application.photo_id,
                           signature_id=application.signature_id, application_id=app_id)
        applications.printed(session, OPERATOR, application, card)
        return applications.hand_over(session, OPERATOR, application, "SRI").copy_number


def test_four_eyes_one_open_application_and_rejection(db, person):
    app_id = submit(db, person)
    capture(db, app_id)
    with db.write() as session, pytest.raises(ConflictError, match="cannot also verify"):
        applications.verify(session, OPERATOR, applications.get(session, app_id))
    with pytest.raises(ConflictError, match="already has an open application"):
        submit(db, person)
    with db.write() as session:
        with pytest.raises(InvalidRecordError):
            applications.reject(session, SUPERVISOR, applications.get(session, app_id), " ")
        applications.reject(session, SUPERVISOR, applications.get(session, app_id), "foto buram")
    assert submit(db, person)  # a rejected application no longer blocks a new one


@pytest.mark.parametrize("evidence, field", [
    ({"reason": "HILANG"}, "police_report_no"),
    ({"reason": "RUSAK"}, "damaged_card_returned"),
    ({"reason": "PERUBAHAN DATA"}, "document_ref"),
    ({}, "reason"),
])
def test_a_reprint_needs_its_reason_and_evidence(db, person, evidence, field):
    issue(db, person)
    with pytest.raises(InvalidRecordError) as caught:
        submit(db, person, **evidence)
    assert field in caught.value.errors


def test_data_change_reprint_records_what_changed_and_handover_invalidates_the_old_card(
        db, clerk, person):
    issue(db, person)
    with pytest.raises(InvalidRecordError, match="nothing changed"):
        submit(db, person, reason="PERUBAHAN DATA", document_ref="KK baru 2026")
    with db.write() as session:
        residents.update(session, clerk, person, {"pekerjaan": "GURU"})
    app_id = submit(db, person, reason="PERUBAHAN DATA", document_ref="SK mutasi 12/2026")
    with db.read() as session:
        changed = applications.get(session, app_id).changed_fields
    assert changed == {"pekerjaan": ["PETANI/PEKEBUN", "GURU"]}
    assert issue_rest(db, app_id) == 2
    with db.read() as session:
        history = cards.history(session, residents.get(session, person).id)
    assert [(c.copy_number, c.state) for c in history] == [(1, "TIDAK BERLAKU"), (2, "AKTIF")]
    assert history[1].replaces_card_id == history[0].id
    assert history[1].data["pekerjaan"] == "GURU" and history[0].data["pekerjaan"] == "PETANI/PEKEBUN"


def test_lost_card_reprint_with_police_report(db, person):
    issue(db, person)
    app_id = submit(db, person, reason="HILANG", police_report_no="STPL/123/XI/2026/Sek")
    with db.read() as session:
        application = applications.get(session, app_id)
        assert (application.kind, application.reason) == ("CETAK ULANG", "HILANG")
        assert application.police_report_no == "STPL/123/XI/2026/Sek"


def test_owed_queue_puts_first_time_applicants_first(db, clerk):
    with db.write() as session:
        offices.add(session, clerk, "33.14")
        people = [residents.register(session, clerk, resident_fields(
            nama=name, tanggal_lahir=dt.date(1980, 1, 1 + i))).nik
            for i, name in enumerate(["ANI", "BUDI", "CITRA"])]
    issue(db, people[0])
    reprint = submit(db, people[0], reason="HILANG", police_report_no="LP/1")
    firsts = [submit(db, n) for n in people[1:]]
    for app_id in (reprint, *firsts):
        capture(db, app_id)
        with db.write() as session:
            applications.verify(session, SUPERVISOR, applications.get(session, app_id))
    with db.read() as session:
        queue = [a.id for a in applications.owed_queue(session, "33.14")]
    assert queue == [*firsts, reprint]
