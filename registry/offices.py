"""Service points. An office is identified by the code of the region it serves."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, regions
from .audit import Actor
from .errors import ConflictError, InvalidRecordError, NotFoundError
from .models import DESA, KABUPATEN, KECAMATAN, PROVINSI, Office


def default_name(code: str, index: regions.RegionIndex) -> str:
    """What clerks call the office: the KPT of a kabupaten, a kecamatan office, a village office."""
    name = index.name(code)
    level = index.level(code)
    if level == KABUPATEN:
        return f"Kantor Pelayanan Terpadu {name}"
    if level == KECAMATAN:
        return f"Kantor Kecamatan {name}"
    if level == DESA:
        kind = "Kelurahan" if code.rsplit(".", 1)[1].startswith("1") else "Desa"
        return f"Kantor {kind} {name}"
    if level == PROVINSI:
        return f"Dinas Kependudukan Provinsi {name}"
    return name


def add(session: Session, actor: Actor, code: str, name: str | None = None) -> Office:
    code = code.strip()
    index = regions.index(session)
    if not index.exists(code):
        raise InvalidRecordError({"code": [
            f"{code!r} is not a region code: give a kabupaten (33.14), a kecamatan (33.14.10) "
            "or a desa/kelurahan (33.14.10.2007) from the region list"]})
    if session.get(Office, code) is not None:
        raise ConflictError(f"office {code} exists already")
    office = Office(code=code, name=(name or "").strip() or default_name(code, index))
    session.add(office)
    session.flush()
    audit.record(session, actor, "office.create", "office", code,
                 audit.created({"code": code, "name": office.name}))
    return office


def ensure(session: Session, actor: Actor, code: str) -> Office:
    """The office of ``code``, created with its default name when missing."""
    return session.get(Office, code) or add(session, actor, code)


def get(session: Session, code: str) -> Office:
    office = session.get(Office, code)
    if office is None:
        raise NotFoundError("office", code)
    return office


def all_offices(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).order_by(Office.code)))


def within(session: Session, code: str) -> list[Office]:
    """The office of ``code`` and every office under it."""
    return list(session.scalars(
        select(Office).where(regions.in_region(Office.code, code)).order_by(Office.code)))
