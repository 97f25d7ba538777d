"""Bulk writing on SQLite and PostgreSQL: the one place that knows they spell an upsert, key
reservation and many-row inserts differently."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Dialect, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session


def insert_for(session: Session, table: Any) -> Any:
    """An INSERT that offers ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
    name = session.get_bind().dialect.name
    module = postgresql if name == "postgresql" else sqlite
    return module.insert(table)


def reserve_ids(session: Session, table: Any, count: int) -> list[int]:
    """``count`` fresh primary keys for ``table``, so bulk inserts need no RETURNING.

    SQLite: the write transaction is exclusive, so the next keys after the highest are ours.
    PostgreSQL: taken from the column's sequence, which other writers also draw from.
    """
    if count <= 0:
        return []
    name = table.name
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text(f"SELECT nextval(pg_get_serial_sequence('{name}', 'id')) "
                 "FROM generate_series(1, :n)"),
            {"n": count},
        )
        return [r[0] for r in rows]
    highest = session.execute(text(f"SELECT coalesce(max(id), 0) FROM {name}")).scalar_one()
    return list(range(highest + 1, highest + 1 + count))


def dialect_named(name: str, driver: str) -> Dialect:
    """A dialect without an engine, for a helper process that prepares bind values."""
    return make_url(f"{name}+{driver}://").get_dialect()()


def bind_processors(dialect: Dialect, table: Any, keys: Sequence[str]) -> list[Any]:
    """Each column's bind processor (None when the driver takes the value as is): the ones the
    Core path uses, so values prepared with them are stored identically."""
    return [table.c[key].type._cached_bind_processor(dialect) for key in keys]


def insert_sql(dialect: Dialect, table: Any, keys: Sequence[str]) -> str:
    """A plain INSERT of ``keys`` in the driver's parameter style, for ``executemany``."""
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    return (f"INSERT INTO {table.name} ({', '.join(table.c[k].name for k in keys)}) "
            f"VALUES ({', '.join([marker] * len(keys))})")


def defaults(dialect: Dialect, table: Any, keys: Sequence[str]) -> tuple[Any, ...]:
    """The Python-side defaults of ``keys``, computed and bind-processed once."""
    out = []
    for key, processor in zip(keys, bind_processors(dialect, table, keys), strict=True):
        default = table.c[key].default
        value = default.arg(None) if default.is_callable else default.arg
        out.append(value if processor is None or value is None else processor(value))
    return tuple(out)


def executemany(session: Session, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """Plain tuples straight to the driver's ``executemany``."""
    if rows:
        session.connection().exec_driver_sql(sql, rows)


def bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows through the driver's ``executemany``.

    The Core path processes every parameter of every row through SQLAlchemy, which costs more
    than SQLite's own work for a wide table. Here each column's bind processor (the one the Core
    path uses, so stored values are identical) runs over the column's values in one pass,
    Python-side defaults are computed once per call, and the driver gets plain tuples. Rows
    must all carry the same keys.
    """
    if not rows:
        return
    dialect = session.connection().dialect
    given = list(rows[0].keys())
    keys = [c.key for c in table.columns if c.key in given]
    extra = [c.key for c in table.columns if c.key not in given and c.default is not None]
    values: list[list[Any]] = []
    for key, processor in zip(keys, bind_processors(dialect, table, keys), strict=True):
        data = [row[key] for row in rows]
        if processor is not None:
            data = [None if v is None else processor(v) for v in data]
        values.append(data)
    tail = defaults(dialect, table, extra)
    executemany(session, insert_sql(dialect, table, keys + extra),
                [(*row, *tail) for row in zip(*values, strict=True)])


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: a bulk write (an import of a million residents,
    a batch of 100,000 cards) builds millions of acyclic tuples, which the collector would
    otherwise traverse again and again (a quarter of an import's Python time, a tenth of
    making a batch). A collection still runs after, if one is due; when another thread paused
    it first, that one resumes it. For command-line and worker jobs, not web requests."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
