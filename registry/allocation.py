"""Issuing NIK and KK serials so that racing registrations never share a number.

One counter row per twelve-digit prefix is bumped by a single upsert inside the registering
transaction. On PostgreSQL the upsert row-locks the counter until commit; on SQLite the write
transaction is ``BEGIN IMMEDIATE`` and so already alone. The counter never goes below the
highest serial already in the table (numbers that arrived by import or were typed in) and never
goes down, so a serial, once issued, is never issued again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from . import nik as nik_rules
from .dialect import insert_for
from .errors import SerialExhaustedError
from .models import Family, Resident, SerialCounter

NIK, KK = "nik", "kk"


def _next(session: Session, kind: str, prefix: str, column: InstrumentedAttribute[str]) -> str:
    highest = session.scalar(
        select(func.max(column)).where(column >= prefix + "0000", column <= prefix + "9999")
    )
    floor = int(highest[-4:]) if highest else 0
    greatest = func.max if session.get_bind().dialect.name == "sqlite" else func.greatest
    stmt = insert_for(session, SerialCounter).values(
        kind=kind, prefix=prefix, last_serial=floor + 1
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[SerialCounter.kind, SerialCounter.prefix],
        set_={"last_serial": greatest(SerialCounter.last_serial, floor) + 1},
    ).returning(SerialCounter.last_serial)
    serial = session.execute(stmt).scalar_one()
    if serial > nik_rules.MAX_SERIAL:
        raise SerialExhaustedError(prefix)
    return f"{prefix}{serial:04d}"


def allocate_nik(
    session: Session, kecamatan_code: str, birth_date: dt.date, female: bool
) -> str:
    """The next free NIK for a person first registered in ``kecamatan_code``."""
    prefix = kecamatan_code.replace(".", "") + nik_rules.date_part(birth_date, female)
    return _next(session, NIK, prefix, Resident.nik)


def allocate_kk(session: Session, kecamatan_code: str, issued_on: dt.date) -> str:
    """The next free KK number: kecamatan, issue date ``DDMMYY``, serial.

    The date part of a KK number is not publicly specified (domain notes); the issue date is
    what SIAK-issued numbers show in practice.
    """
    prefix = kecamatan_code.replace(".", "") + f"{issued_on:%d%m%y}"
    return _next(session, KK, prefix, Family.kk)
