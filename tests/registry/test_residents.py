"""Registering and correcting residents, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from registry import residents
from registry.errors import ConflictError, DuplicateCandidatesError, InvalidRecordError
from registry.models import AuditEntry, Family, Resident

from .factories import SRAGEN_DESA, resident_fields


def register(db, clerk, **kw):
    nik, kk = kw.pop("nik", None), kw.pop("kk", None)
    confirm = kw.pop("confirm_duplicate", False)
    with db.write() as session:
        r = residents.register(session, clerk, resident_fields(**kw), nik=nik, kk=kk,
                               confirm_duplicate=confirm)
        return r.nik, r.family.kk


def test_registration_allocates_a_nik_from_kecamatan_birth_date_and_sex(db, clerk):
    nik, kk = register(db, clerk)
    assert nik == "3314105708800001"  # Sragen 33.14.10, 17+40 . 08 . 80, serial 1
    assert kk.startswith("331410") and len(kk) == 16
    second, _ = register(db, clerk, nama="SITI AMINAH")
    assert second == "3314105708800002"
    man, _ = register(db, clerk, nama="BUDI", jenis_kelamin="LAKI-LAKI")
    assert man == "3314101708800001"


def test_values_are_stored_normalised(db, clerk):
    nik, _ = register(db, clerk, nama=" sri   wahyuni ", agama="katholik", rt="7")
    with db.read() as session:
        r = residents.get(session, nik)
        assert (r.nama, r.agama, r.rt, r.rw, r.status) == ("SRI WAHYUNI", "KATOLIK", "007", "002",
                                                           "AKTIF")


def test_every_bad_field_is_named(db, clerk):
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        residents.register(session, clerk, resident_fields(
            nama="SRI 2", agama="PASTAFARI", tanggal_lahir=dt.date.today() + dt.timedelta(1),
            rt="0", desa_code="33.14.10", pekerjaan="ASTRONOT"))
    assert set(caught.value.errors) == {"nama", "agama", "tanggal_lahir", "rt", "desa_code",
                                        "pekerjaan"}
    assert "in the future" in caught.value.errors["tanggal_lahir"][0]
    with db.read() as session:
        assert session.scalar(select(Resident.id)) is None


def test_a_given_nik_is_checked_against_the_record(db, clerk):
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        residents.register(session, clerk, resident_fields(), nik="3314101708800005")
    assert "encodes a male birth day" in caught.value.errors["nik"][0]
    nik, _ = register(db, clerk, nik="3314105708800005")
    assert nik == "3314105708800005"
    # Allocation continues above numbers that were typed in, never reusing one.
    assert register(db, clerk, nama="ANI")[0] == "3314105708800006"


def test_a_nik_is_never_issued_twice(db, clerk):
    register(db, clerk, nik="3314105708800003")
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        residents.register(session, clerk, resident_fields(nama="ANI"), nik="3314105708800003")
    assert "already issued" in caught.value.errors["nik"][0]


def test_a_likely_duplicate_needs_confirmation(db, clerk):
    register(db, clerk, nama="SOEKARNO", jenis_kelamin="LAKI-LAKI")
    with db.write() as session, pytest.raises(DuplicateCandidatesError) as caught:
        residents.register(session, clerk,
                           resident_fields(nama="sukarno", jenis_kelamin="LAKI-LAKI"))
    assert [c["nama"] for c in caught.value.candidates] == ["SOEKARNO"]
    nik, _ = register(db, clerk, nama="SUKARNO", jenis_kelamin="LAKI-LAKI", confirm_duplicate=True)
    with db.read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_key == nik))
        assert "despite duplicate" in entry.note


def test_members_join_a_family_at_its_address(db, clerk):
    head, kk = register(db, clerk, nama="BUDI", jenis_kelamin="LAKI-LAKI")
    child, same_kk = register(db, clerk, nama="ANI", kk=kk, hubungan_keluarga="ANAK",
                              alamat="", rt="", rw="", desa_code="",
                              tanggal_lahir=dt.date(2005, 1, 2))
    assert same_kk == kk
    with db.read() as session:
        family = residents.get_family(session, kk)
        assert [m.nik for m in family.members] == [head, child]
        assert residents.get(session, child).alamat == family.alamat


def test_a_family_has_one_active_head(db, clerk):
    _, kk = register(db, clerk, nama="BUDI", jenis_kelamin="LAKI-LAKI")
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        residents.register(session, clerk, resident_fields(nama="ANI"), kk=kk,
                           confirm_duplicate=True)
    assert "already has a KEPALA KELUARGA" in caught.value.errors["hubungan_keluarga"][0]
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        residents.register(session, clerk, resident_fields(hubungan_keluarga="ANAK"))
    assert "kk" in caught.value.errors


def test_static_elements_are_refused_and_changes_audited(db, clerk):
    nik, _ = register(db, clerk)
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        residents.update(session, clerk, nik, {"tanggal_lahir": "1981-01-01",
                                               "golongan_darah": "A", "pekerjaan": "GURU"})
    assert set(caught.value.errors) == {"tanggal_lahir", "golongan_darah"}
    with db.write() as session:
        residents.update(session, clerk, nik, {"pekerjaan": "GURU", "nama": "SRI WAHYUNINGSIH"},
                         note="KK baru")
    with db.read() as session:
        r = residents.get(session, nik)
        assert (r.pekerjaan, r.version) == ("GURU", 2)
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "resident.update")).one()
        assert entry.changes == {"nama": ["SRI WAHYUNI", "SRI WAHYUNINGSIH"],
                                 "pekerjaan": ["PETANI/PEKEBUN", "GURU"]}
        assert (entry.actor, entry.note) == ("clerk", "KK baru")


def test_a_stale_edit_is_refused(db, clerk):
    nik, _ = register(db, clerk)
    with db.write() as session:
        residents.update(session, clerk, nik, {"pekerjaan": "GURU"}, expected_version=1)
    with db.write() as session, pytest.raises(ConflictError):
        residents.update(session, clerk, nik, {"pekerjaan": "PEDAGANG"}, expected_version=1)


def test_wna_needs_an_itap_and_wni_must_not_have_one(db, clerk):
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        residents.register(session, clerk, resident_fields(kewarganegaraan="WNA"))
    assert "itap_berlaku_hingga" in caught.value.errors
    nik, _ = register(db, clerk, kewarganegaraan="WNA", itap_berlaku_hingga="2030-12-31")
    with db.write() as session, pytest.raises(InvalidRecordError):
        residents.update(session, clerk, nik, {"kewarganegaraan": "WNI"})


def test_the_audit_log_refuses_update_and_delete(db, clerk):
    register(db, clerk)
    for statement in (update(AuditEntry).values(actor="someone else"), delete(AuditEntry)):
        with pytest.raises(DBAPIError, match="append-only"), db.write() as session:
            session.execute(statement)
    with db.read() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["family.create", "resident.create"]


def test_every_registration_is_audited_with_its_values(db, clerk):
    nik, kk = register(db, clerk)
    with db.read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "resident.create"))
        assert entry.entity_key == nik
        assert entry.changes["nama"] == [None, "SRI WAHYUNI"]
        assert entry.changes["tanggal_lahir"] == [None, "1980-08-17"]
        assert session.scalar(select(Family.desa_code).where(Family.kk == kk)) == SRAGEN_DESA
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 2
