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
from .errors import (
    ConflictError,
    DuplicateCandidatesError,
    InvalidRecordError,
    NotFoundError,
)
from .models import Family, Resident, ResidentNameToken
from .names import keys, name_key
from .validation import RESIDENT_FIELDS, STATIC_FIELDS, check_record, clean_fields


def as_dict(resident: Resident) -> dict[str, Any]:
    """The registry fields of a resident (what the audit log compares)."""
    return {f: getattr(resident, f) for f in ("nik", *RESIDENT_FIELDS)}


def brief(resident: Resident) -> dict[str, Any]:
    """Enough to tell residents apart in a list of candidates."""
    return {f: getattr(resident, f) for f in ("nik", "nama", "tanggal_lahir", "jenis_kelamin",
                                               "alamat", "desa_code", "status")}


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


def duplicate_candidates(
    session: Session, nama: str, tanggal_lahir: dt.date, jenis_kelamin: str
) -> list[Resident]:
    """Residents whose name (in any spelling), birth date and sex equal these."""
    return list(
        session.scalars(
            select(Resident)
            .where(
                Resident.name_key == name_key(nama),
                Resident.tanggal_lahir == tanggal_lahir,
                Resident.jenis_kelamin == jenis_kelamin,
            )
            .order_by(Resident.id)
        )
    )


def name_index_rows(resident_id: int, nama: str, desa_code: str) -> list[dict[str, Any]]:
    return [{"phrase": p, "resident_id": resident_id, "desa_code": desa_code}
            for p in keys(nama)[1]]


def _index_name(session: Session, resident: Resident) -> None:
    session.execute(delete(ResidentNameToken).where(ResidentNameToken.resident_id == resident.id))
    rows = name_index_rows(resident.id, resident.nama, resident.desa_code)
    if rows:
        session.execute(ResidentNameToken.__table__.insert(), rows)


def _check_nik(session: Session, nik: str, record: Mapping[str, Any]) -> list[str]:
    index = regions.index(session)
    check = nik_rules.validate(
        nik,
        region_exists=index.exists,
        birth_date=record["tanggal_lahir"],
        female=record["jenis_kelamin"] == "PEREMPUAN",
    )
    if check.ok and session.scalar(select(Resident.id).where(Resident.nik == nik)) is not None:
        check.errors.append("is already issued to another resident")
    return check.errors


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
) -> Resident:
    """Register a person; allocates the NIK unless one is given (a number issued before).

    Raises `InvalidRecordError` (every wrong field), `DuplicateCandidatesError` (same person
    seemingly registered already; pass ``confirm_duplicate``), `ConflictError`.
    """
    family = None
    if kk:
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
    if not errors and nik and (nik_errors := _check_nik(session, nik, record)):
        errors["nik"] = nik_errors
    if errors:
        raise InvalidRecordError(errors)
    record["status"] = record.get("status") or values.AKTIF
    record["hubungan_keluarga"] = record.get("hubungan_keluarga") or values.KEPALA_KELUARGA
    if not confirm_duplicate:
        found = duplicate_candidates(
            session, record["nama"], record["tanggal_lahir"], record["jenis_kelamin"]
        )
        if found:
            raise DuplicateCandidatesError([brief(r) for r in found])
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
) -> Resident:
    """Correct a resident's record; static elements are refused with a named error."""
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
    return resident
