"""Many rows at once, the fast way on each database: a batch of 100,000 cards reads the facts of
100,000 residents and writes 100,000 rows in one transaction.

A list of values is one parameter instead of thousands of placeholders that SQLAlchemy, the
driver and the planner must each handle: an array on PostgreSQL (``= ANY(...)``), a JSON array
on SQLite (``IN (SELECT value FROM json_each(...))``, each value then found through the
column's index); so 100,000 NIKs are one query, and its statement is compiled once. PostgreSQL
loads rows with ``COPY``, several times faster than row-by-row inserts; SQLite, in process, is
fast with the driver's own ``executemany`` of plain tuples.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, any_, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .dialect import executemany, insert_sql
from .errors import ConflictError

UNIQUE_VIOLATION = "23505"


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(session: Session, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``column`` is one of ``values`` (numbers or strings), however many they are."""
    if _postgresql(session):
        return column == any_(literal(list(values), ARRAY(column.type)))
    listed = func.json_each(literal(json.dumps(list(values)), String)).table_valued("value")
    return column.in_(select(listed.c.value))


def insert(session: Session, table: Any, columns: Sequence[str], rows: list[tuple[Any, ...]],
           conflict: str) -> None:
    """Insert ``rows`` (tuples of ``columns``, every column the table needs without a default)
    into ``table``; a unique violation raises `ConflictError` with the message ``conflict``.

    Values go to the driver as they are, so they must be what it takes without SQLAlchemy's
    conversions: numbers, strings, None (100,000 rows are not worth a dict and a pass of
    SQLAlchemy's per-value processing each)."""
    if not rows:
        return
    if not _postgresql(session):
        dialect = session.get_bind().dialect
        try:
            executemany(session, insert_sql(dialect, table, columns), rows)
        except IntegrityError:
            raise ConflictError(conflict) from None
        return
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    except Exception as exc:
        if getattr(exc, "sqlstate", None) == UNIQUE_VIOLATION:
            raise ConflictError(conflict) from None
        raise
    finally:
        cursor.close()
