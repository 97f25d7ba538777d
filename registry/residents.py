"""Registering, reading and correcting residents: the writes a counter clerk makes.

Every function takes a session inside a write transaction (see `registry.db.Database.write`)
and an `Actor`; each change lands together with its audit entry or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from . import allocation, audit, regions, values
from . import nik as nik_rules
from .audit import Actor
from .duplicates import AreaDuplicateCandidatesError, candidate, duplicate_candidates
from .duplicates import brief as brief  # what a list of residents shows of each
from .errors import (
    ConflictError,
    InvalidRecordError,
    NotFoundError,
)
from .models import Family, Resident, ResidentNameToken
from .names import keys, name_key
from .validation import RESIDENT_FIELDS, STATIC_FIELDS, check_record, clean_fields


def as_dict(resident: Resident) -> dict[str, Any]:
    """The registry fields of a resident (what the audit log compares)."""
    return {f: getattr(resident, f) for f in ("nik", *RESIDENT_FIELDS)}


# Built once: a lookup by number is the counter's commonest read, and building the statement
# cost as much as running it.
_BY_NIK = select(Resident).where(Resident.nik == bindparam("nik"))
_FAMILY_BY_KK = select(Family).where(Family.kk == bindparam("kk"))


def get(session: Session, nik: str) -> Resident:
    resident = session.scalar(_BY_NIK, {"nik": nik})
    if resident is None:
        raise NotFoundError("resident", nik)
    return resident


def get_by_id(session: Session, resident_id: int) -> Resident:
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError("resident", str(resident_id))
    return resident


_ROW = select(Resident.__table__).where(Resident.__table__.c.id == bindparam("p_id"))


def row(session: Session, resident_id: int) -> Any:
    """The resident's columns as a plain row, read like a `Resident` but with no ORM object
    behind it: for reading a record to draw or snapshot a card, never for changing it."""
    found = session.execute(_ROW, {"p_id": resident_id}).first()
    if found is None:
        raise NotFoundError("resident", str(resident_id))
    return found


def get_family(session: Session, kk: str) -> Family:
    family = session.scalar(_FAMILY_BY_KK, {"kk": kk})
    if family is None:
        raise NotFoundError("family", kk)
    return family


def name_index_rows(resident_id: int, nama: str, desa_code: str) -> list[dict[str, Any]]:
    return [{"phrase": p, "resident_id": resident_id, "desa_code": desa_code}
            for p in keys(nama)[1]]


def _index_name(session: Session, resident: Resident) -> None:
    session.execute(delete(ResidentNameToken).where(ResidentNameToken.resident_id == resident.id))
    rows = name_index_rows(resident.id, resident.nama, resident.desa_code)
    if rows:
        session.execute(ResidentNameToken.__table__.insert(), rows)


def _check_nik(session: Session, nik: str, record: Mapping[str, Any]) -> nik_rules.NikCheck:
    index = regions.index(session)
    check = nik_rules.validate(
        nik,
        region_exists=index.exists,
        birth_date=record["tanggal_lahir"],
        female=record["jenis_kelamin"] == "PEREMPUAN",
    )
    if check.ok and session.scalar(select(Resident.id).where(Resident.nik == nik)) is not None:
        check.errors.append("is already issued to another resident")
    return check


def _new_family(session: Session, actor: Actor, record: Mapping[str, Any]) -> Family:
    """A new KK for a resident who heads a household."""
    kecamatan = record["desa_code"].rsplit(".", 1)[0]
    number = allocation.allocate_kk(session, kecamatan, dt.date.today())
    family = Family(kk=number, alamat=record["alamat"], rt=record["rt"], rw=record["rw"],
                    desa_code=record["desa_code"])
    session.add(family)
    session.flush()
    audit.record(session, actor, "family.create", "family", number,
                 audit.created({"kk": number, "alamat": family.alamat, "rt": family.rt,
                                "rw": family.rw, "desa_code": family.desa_code}))
    return family


def register(
    session: Session,
    actor: Actor,
    data: Mapping[str, Any],
    *,
    nik: str | None = None,
    kk: str | None = None,
    confirm_duplicate: bool = False,
    warnings: dict[str, list[str]] | None = None,
) -> Resident:
    """Register a person; allocates the NIK unless one is given (a number issued before).

    Raises `InvalidRecordError` (every wrong field), `DuplicateCandidatesError` (same person
    seemingly registered already; pass ``confirm_duplicate``; candidates outside the actor's
    office area are redacted, see `candidate`), `ConflictError`. What deserves a look but
    does not stop the registration (a given NIK's kecamatan no longer in the region list) is
    added to ``warnings``, field by field, when it is given.
    """
    family = None
    if kk:
        kk_check = nik_rules.validate_kk(kk, region_exists=regions.index(session).exists)
        if not kk_check.ok:
            raise InvalidRecordError({"kk": kk_check.errors})
        family = session.scalar(_FAMILY_BY_KK, {"kk": kk})
        if family is None:
            raise InvalidRecordError({"kk": [f"no family with KK {kk}"]})
        # A member lives at the family's address unless told otherwise.
        data = {"alamat": family.alamat, "rt": family.rt, "rw": family.rw,
                "desa_code": family.desa_code, **{k: v for k, v in data.items() if v}}
    record, errors = clean_fields(data, regions.index(session))
    if not errors:
        errors.update(check_record(record))
    if kk is None and record.get("hubungan_keluarga") not in (None, values.KEPALA_KELUARGA):
        errors.setdefault("kk", []).append(
            "is required unless the resident heads a new family (KEPALA KELUARGA)"
        )
    if not errors and nik:
        check = _check_nik(session, nik, record)
        if check.errors:
            errors["nik"] = check.errors
        elif check.warnings and warnings is not None:
            warnings.setdefault("nik", []).extend(check.warnings)
    if errors:
        raise InvalidRecordError(errors)
    record["status"] = record.get("status") or values.AKTIF
    record["hubungan_keluarga"] = record.get("hubungan_keluarga") or values.KEPALA_KELUARGA
    if not confirm_duplicate:
        found = duplicate_candidates(
            session, record["nama"], record["tanggal_lahir"], record["jenis_kelamin"]
        )
        if found:
            raise AreaDuplicateCandidatesError(
                [candidate(r, actor.office_code) for r in found], actor.office_code)
    family = family or _new_family(session, actor, record)
    _check_head(session, family, None, record)
    if not nik:
        nik = allocation.allocate_nik(
            session, record["desa_code"].rsplit(".", 1)[0], record["tanggal_lahir"],
            record["jenis_kelamin"] == "PEREMPUAN",
        )
    resident = Resident(nik=nik, name_key=name_key(record["nama"]), family=family, **record)
    session.add(resident)
    session.flush()
    _index_name(session, resident)
    audit.record(session, actor, "resident.create", "resident", nik,
                 audit.created(as_dict(resident)),
                 note="registered despite duplicate candidates" if confirm_duplicate else None)
    return resident


def _check_head(
    session: Session, family: Family, resident: Resident | None, record: Mapping[str, Any]
) -> None:
    if record.get("hubungan_keluarga") != values.KEPALA_KELUARGA:
        return
    if record.get("status", values.AKTIF) != values.AKTIF:
        return
    head = session.scalar(
        select(Resident.nik).where(
            Resident.family_id == family.id,
            Resident.hubungan_keluarga == values.KEPALA_KELUARGA,
            Resident.status == values.AKTIF,
            Resident.id != (resident.id if resident else -1),
        )
    )
    if head is not None:
        raise InvalidRecordError(
            {"hubungan_keluarga": [f"family {family.kk} already has a KEPALA KELUARGA ({head})"]}
        )


def update(
    session: Session,
    actor: Actor,
    nik: str,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    note: str | None = None,
    new_head: str | None = None,
) -> Resident:
    """Correct a resident's record; static elements are refused with a named error.

    A family with active members keeps exactly one active KEPALA KELUARGA (the rule an import
    holds every family to): a change that takes the head's role or active status away is
    refused, naming the field, unless ``new_head`` names the active member of the same family
    who becomes KEPALA KELUARGA in the same transaction (audited as their own change)."""
    resident = get(session, nik)
    if expected_version is not None and expected_version != resident.version:
        raise ConflictError(
            f"resident {nik} was changed by someone else (version {resident.version}, "
            f"you edited {expected_version}); reload and apply your change again"
        )
    refused = {f: ["is a static element and cannot be changed"]
               for f in STATIC_FIELDS if f in changes}
    editable = {k: v for k, v in changes.items() if k not in STATIC_FIELDS}
    clean, errors = clean_fields(editable, regions.index(session), required=False)
    errors.update(refused)
    for field in [f for f, v in clean.items() if v is None and f not in ("itap_berlaku_hingga",)]:
        errors.setdefault(field, []).append("cannot be emptied")
    old = as_dict(resident)
    merged = {**old, **clean}
    if not errors:
        errors.update(check_record(merged))
    if errors:
        raise InvalidRecordError(errors)
    _check_head(session, resident.family, resident, merged)
    successor = _successor(session, resident, old, merged, new_head)
    for field, value in clean.items():
        setattr(resident, field, value)
    if "nama" in clean:
        resident.name_key = name_key(resident.nama)
    session.flush()
    if {"nama", "desa_code"} & clean.keys():
        _index_name(session, resident)
    delta = audit.diff(old, as_dict(resident))
    if delta:
        audit.record(session, actor, "resident.update", "resident", nik, delta, note=note)
    if successor is not None:  # after the old head's change is flushed: one head at a time
        before = successor.hubungan_keluarga
        successor.hubungan_keluarga = values.KEPALA_KELUARGA
        session.flush()
        audit.record(session, actor, "resident.update", "resident", successor.nik,
                     {"hubungan_keluarga": [before, values.KEPALA_KELUARGA]},
                     note=f"KEPALA KELUARGA in place of {nik}")
    return resident


def _is_active_head(record: Mapping[str, Any]) -> bool:
    return (record.get("hubungan_keluarga") == values.KEPALA_KELUARGA
            and (record.get("status") or values.AKTIF) == values.AKTIF)


_OTHER_ACTIVE_MEMBER = (
    select(Resident.id)
    .where(Resident.family_id == bindparam("family_id"), Resident.id != bindparam("resident_id"),
           Resident.status == values.AKTIF)
    .limit(1))


def _successor(session: Session, resident: Resident, old: Mapping[str, Any],
               merged: Mapping[str, Any], new_head: str | None) -> Resident | None:
    """The member who becomes KEPALA KELUARGA when ``resident`` stops being it (`update`)."""
    stops = _is_active_head(old) and not _is_active_head(merged)
    if new_head is None:
        if stops and session.scalar(_OTHER_ACTIVE_MEMBER, {
                "family_id": resident.family_id, "resident_id": resident.id}) is not None:
            field = ("hubungan_keluarga" if merged.get("hubungan_keluarga") != values.KEPALA_KELUARGA
                     else "status")
            raise InvalidRecordError({field: [
                f"would leave family {resident.family.kk} without an active KEPALA KELUARGA; "
                "name the member who becomes KEPALA KELUARGA (new_kepala_keluarga) in the "
                "same change"]})
        return None
    if not stops:
        raise InvalidRecordError({"new_kepala_keluarga": [
            f"only when {resident.nik} stops being the active KEPALA KELUARGA of its family"]})
    successor = session.scalar(_BY_NIK, {"nik": new_head})
    if (successor is None or successor.family_id != resident.family_id
            or successor.id == resident.id or successor.status != values.AKTIF):
        raise InvalidRecordError({"new_kepala_keluarga": [
            f"{new_head} is not another active member of family {resident.family.kk}"]})
    return successor
