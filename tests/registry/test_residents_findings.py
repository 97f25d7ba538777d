"""Registering and correcting: duplicates seen only within the clerk's area and in any word
order, a given NIK's warnings passed back, KK numbers checked, and one head per family."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from registry import residents
from registry.audit import Actor
from registry.errors import DuplicateCandidatesError, InvalidRecordError
from registry.models import AuditEntry

from .factories import resident_fields

SRAGEN = Actor("sragen", office_code="33.14.10", role="operator")
KALIJAMBE = Actor("kalijambe", office_code="33.14.01", role="operator")


def register(db, actor, **fields):
    with db.write() as session:
        return residents.register(session, actor, resident_fields(**fields)).nik


def test_candidates_outside_the_clerks_area_are_counted_not_shown(db):
    theirs = register(db, KALIJAMBE, nama="SOEKARNO HADI", desa_code="33.14.01.2001",
                      jenis_kelamin="LAKI-LAKI", alamat="DUKUH KEDEN 3")
    with db.write() as session, pytest.raises(DuplicateCandidatesError) as caught:
        residents.register(session, SRAGEN, resident_fields(nama="HADI SUKARNO",
                                                            jenis_kelamin="LAKI-LAKI"))
    error = caught.value
    assert error.outside_area == 1 and theirs not in str(error)
    [hidden] = error.candidates
    assert hidden["outside_area"] and hidden["tanggal_lahir"] == dt.date(1980, 8, 17)
    assert not any(hidden[f] for f in ("nik", "nama", "alamat", "desa_code", "status"))
    with db.write() as session, pytest.raises(DuplicateCandidatesError) as caught:
        residents.register(session, KALIJAMBE, resident_fields(
            nama="HADI SUKARNO", jenis_kelamin="LAKI-LAKI", desa_code="33.14.01.2001"))
    assert [c["nik"] for c in caught.value.candidates] == [theirs]
    with db.write() as session:  # confirming registers anyway
        ours = residents.register(session, SRAGEN, resident_fields(
            nama="HADI SUKARNO", jenis_kelamin="LAKI-LAKI"), confirm_duplicate=True)
    assert ours.nik != theirs


def test_the_console_and_the_system_see_every_candidate(db, clerk):
    theirs = register(db, KALIJAMBE, nama="SRI", desa_code="33.14.01.2001")
    with db.write() as session, pytest.raises(DuplicateCandidatesError) as caught:
        residents.register(session, Actor("cli:root"), resident_fields(nama="SRI"))
    assert [c["nik"] for c in caught.value.candidates] == [theirs]


def test_a_given_nik_of_an_unknown_kecamatan_passes_its_warning_back(db, clerk):
    warnings: dict[str, list[str]] = {}
    with db.write() as session:
        residents.register(session, clerk, resident_fields(), nik="3314995708800001",
                           warnings=warnings)
    assert warnings == {"nik": [
        "kecamatan 33.14.99 is not in today's region list (it may have been split since)"]}


def test_a_kk_number_of_no_region_is_refused_before_it_is_looked_up(db, clerk):
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        residents.register(session, clerk, resident_fields(hubungan_keluarga="ANAK"),
                           kk="0000000000000000")
    assert caught.value.errors == {"kk": ["province 00 does not exist"]}


def family(db, clerk):
    with db.write() as session:
        head = residents.register(session, clerk, resident_fields(
            nama="BUDI", jenis_kelamin="LAKI-LAKI", tanggal_lahir=dt.date(1970, 1, 1)))
        kk = head.family.kk
        wife = residents.register(session, clerk, resident_fields(hubungan_keluarga="ISTRI"),
                                  kk=kk)
        return head.nik, wife.nik, kk


@pytest.mark.parametrize("change, field", [({"hubungan_keluarga": "ANAK"}, "hubungan_keluarga"),
                                           ({"status": "PINDAH"}, "status"),
                                           ({"status": "MENINGGAL"}, "status")])
def test_the_only_head_keeps_the_role_until_a_successor_is_named(db, clerk, change, field):
    head, wife, kk = family(db, clerk)
    with db.write() as session, pytest.raises(InvalidRecordError) as caught:
        residents.update(session, clerk, head, change)
    assert f"would leave family {kk} without an active KEPALA KELUARGA" in \
        caught.value.errors[field][0]
    with db.write() as session:
        residents.update(session, clerk, head, change, new_head=wife)
    with db.read() as session:
        assert residents.get(session, wife).hubungan_keluarga == "KEPALA KELUARGA"
        notes = session.scalars(select(AuditEntry.note).where(
            AuditEntry.entity_key == wife, AuditEntry.action == "resident.update")).all()
    assert notes == [f"KEPALA KELUARGA in place of {head}"]
