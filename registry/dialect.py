"""The one place that knows SQLite and PostgreSQL spell an upsert differently."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
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


def bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows through the driver's ``executemany``.

    The Core path processes every parameter of every row through SQLAlchemy, which costs more
    than SQLite's own work for a wide table. Here each column's bind processor (the same one
    the Core path uses, so stored values are identical) is applied once per value and the
    driver gets plain tuples. Python-side column defaults are applied as Core would.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = [c for c in table.columns if c.key in rows[0] or c.default is not None]
    fillers = []
    for column in columns:
        processor = column.type._cached_bind_processor(dialect)
        default = column.default
        fillers.append((column.key, processor, default))
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    values = []
    for row in rows:
        out = []
        for key, processor, default in fillers:
            value = row.get(key)
            if value is None and key not in row and default is not None:
                value = default.arg(None) if default.is_callable else default.arg
            out.append(processor(value) if processor and value is not None else value)
        values.append(tuple(out))
    connection.exec_driver_sql(sql, values)
