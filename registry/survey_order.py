"""Survey rows kept out of the order they were written in.

The order in which codes were issued is the order of handovers, which the audit log tells with
names and times; the order of answers follows it closely. So neither tickets nor responses may
be stored in the order they came: both are keyed by random values and kept in key order.

- SQLite: WITHOUT ROWID tables (`registry.models.survey`) are the B-tree of their key; a
  plain ``SELECT`` reads them in key order and there is no rowid to sort by.
- PostgreSQL appends rows to its heap in the order written (a plain ``SELECT`` or
  ``pg_dump`` returns them so, ``ctid`` and ``xmin`` tell it): after each change `restack`
  writes the rows of that office and day again, in key order, within the same transaction.
  They all then carry that transaction's id too. An advisory lock per office (`serialise`)
  makes the survey's writes of one office take turns, so two restacks never deadlock.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Table, text
from sqlalchemy.orm import Session


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def serialise(session: Session, scope: str) -> None:
    """Wait for the other survey writes of ``scope`` (an office's code: call it before
    touching a ticket or response) to commit: PostgreSQL; SQLite writers take turns already."""
    if _postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                        {"name": f"ktp.survey {scope}"})


def restack(session: Session, table: Table, office_code: str, day_column: str,
            day: dt.date) -> None:
    """Write ``table``'s rows of the office and day again in key order (PostgreSQL)."""
    if not _postgres(session):
        return
    session.flush()
    key = ", ".join(c.name for c in table.primary_key.columns)
    session.execute(text(
        f"WITH moved AS (DELETE FROM {table.name} WHERE office_code = :office "
        f"AND {day_column} = :day RETURNING *) "
        f"INSERT INTO {table.name} SELECT * FROM moved ORDER BY {key}"),
        {"office": office_code, "day": day})
