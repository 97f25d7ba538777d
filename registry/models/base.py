"""Declarative base shared by every table, with constraint names Alembic can rely on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, String, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

MAX_ROW_ID = 2**31 - 1
"""The largest row id: ids are INTEGER (32-bit) columns. A larger number from a URL, a query
or a command line is no row, and handed to the database it overflows (a 500, a traceback)."""

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def byte_ordered(length: int) -> String:
    """A string compared and sorted byte by byte on every database: a code, a NIK, a name key.

    Searches by prefix are half-open ranges (``33.14.10.`` ≤ code < ``33.14.10/``) and the
    order of the name phrases is the search's ranking (``sri yanti`` before ``sriwati``), both
    reasoned in bytes, as SQLite compares. A PostgreSQL database made with a linguistic locale
    (``en_US.UTF-8``, ``id_ID.UTF-8``) compares dots and spaces last, so a kecamatan would hold
    no desa and the ranking would change; the C collation keeps PostgreSQL to bytes."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamps stored as UTC and always returned timezone-aware.

    SQLite keeps no zone; normalising on the way in and out makes both backends agree.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use registry.models.utcnow()")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


JsonDocument = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JsonDocument}
