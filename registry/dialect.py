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
    than SQLite's own work for a wide table. Here each column's bind processor (the one the Core
    path uses, so stored values are identical) runs over the column's values in one pass,
    Python-side defaults are computed once per call, and the driver gets plain tuples. Rows
    must all carry the same keys.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    given = rows[0].keys()
    columns = [c for c in table.columns if c.key in given or c.default is not None]
    values: list[list[Any]] = []
    for column in columns:
        if column.key in given:
            data = [row[column.key] for row in rows]
        else:
            default = column.default
            data = [default.arg(None) if default.is_callable else default.arg] * len(rows)
        processor = column.type._cached_bind_processor(dialect)
        if processor is not None:
            data = [None if v is None else processor(v) for v in data]
        values.append(data)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
           f"VALUES ({', '.join([marker] * len(columns))})")
    connection.exec_driver_sql(sql, list(zip(*values, strict=True)))
