"""Bulk work on SQLite and PostgreSQL: the one place that knows they spell an upsert, key
reservation, many-row inserts and long lists of values differently."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, Dialect, String, any_, func, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

_INTEGRITY_CLASS = "23"  # SQLSTATE class of integrity constraint violations


def insert_for(session: Session, table: Any) -> Any:
    """An INSERT that offers ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
    name = session.get_bind().dialect.name
    module = postgresql if name == "postgresql" else sqlite
    return module.insert(table)


def among(session: Session, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``column`` is one of ``values`` (numbers or strings), however many they are.

    The list is one parameter instead of thousands of placeholders that SQLAlchemy, the driver
    and the planner must each handle: an array on PostgreSQL (``= ANY(...)``), a JSON array on
    SQLite (``IN (SELECT value FROM json_each(...))``, each value then found through the
    column's index). So 100,000 NIKs are one query, compiled once."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(values), ARRAY(column.type)))
    listed = func.json_each(literal(json.dumps(list(values)), String)).table_valued("value")
    return column.in_(select(listed.c.value))


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


def insert_rows(session: Session, table: Any, columns: Sequence[str],
                rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (tuples of ``columns``, values as the driver takes them) the fast way on
    each database: ``COPY`` on PostgreSQL, four to five times faster than row-by-row inserts
    even pipelined; the driver's ``executemany`` on SQLite, which runs in process. A broken
    constraint raises SQLAlchemy's `IntegrityError` on both."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        executemany(session, insert_sql(connection.dialect, table, columns), rows)
        return
    sql = f"COPY {table.name} ({', '.join(table.c[k].name for k in columns)}) FROM STDIN"
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    except Exception as exc:
        if str(getattr(exc, "sqlstate", "") or "").startswith(_INTEGRITY_CLASS):
            raise IntegrityError(sql, None, exc) from None
        raise
    finally:
        cursor.close()


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
def indexes_deferred(session: Session, tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` (and on PostgreSQL their constraints), and
    build them again once at the end, from their own stored definitions.

    For loading millions of rows into empty tables: one sorted index build costs far less than
    a million random-order insertions, and one join validates a foreign key faster than a
    lookup per row. Inside the caller's transaction, so they are back before it goes on and a
    rollback undoes both; meanwhile the tables are the caller's alone. A key that another
    table's foreign key hangs on stays, as do SQLite's (it cannot drop a constraint)."""
    if session.get_bind().dialect.name == "postgresql":
        indexes = _postgresql_indexes(session, tables)
        constraints = _postgresql_constraints(session, tables)  # keys first, foreign keys last
        drops = [f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'
                 for table, name, _ in reversed(constraints)]
        drops += [f'DROP INDEX "{name}"' for name, _ in indexes]
        builds = [sql for _, sql in indexes] + [
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {sql}'
            for table, name, sql in constraints]
    else:
        listed = ", ".join(f"'{t}'" for t in tables)
        indexes = session.execute(text(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({listed})")).all()
        drops = [f'DROP INDEX "{name}"' for name, _ in indexes]
        builds = [sql for _, sql in indexes]
    for sql in drops:
        session.execute(text(sql))
    yield
    for sql in builds:
        session.execute(text(sql))


def _postgresql_indexes(session: Session, tables: Sequence[str]) -> list[Any]:
    return session.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = ANY(:tables) AND indexname NOT IN (SELECT conname FROM pg_constraint "
        "WHERE contype IN ('p', 'u', 'x'))"), {"tables": list(tables)}).all()


def _postgresql_constraints(session: Session, tables: Sequence[str]) -> list[Any]:
    """The foreign keys of ``tables``, after their primary keys and unique constraints that no
    foreign key refers to."""
    return session.execute(text(
        "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid "
        "WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(:tables) "
        "AND (c.contype = 'f' OR c.contype IN ('p', 'u') AND NOT EXISTS (SELECT 1 FROM "
        "pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid)) "
        "ORDER BY c.contype = 'f', c.conname"), {"tables": list(tables)}).all()


def settle_bulk_load(engine: Engine, tables: Sequence[str]) -> None:
    """Make PostgreSQL ready to query what a bulk load just committed, as one does after a
    restore: ``VACUUM`` marks the new pages all-visible, so an index-only scan (every name
    search) stops visiting the table for each entry, and ``ANALYZE`` tells the planner how
    many rows there are, or it takes a million name phrases for a few thousand and reads whole
    ranges into bitmaps. Autovacuum gets there minutes later; until then searches were three
    to five times slower. SQLite plans from its indexes' shape and needs neither."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"VACUUM (ANALYZE) {', '.join(tables)}"))


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
