"""Compare NIKs, desa codes and name phrases byte by byte on PostgreSQL (the C collation),
whatever locale the database was made with: searches by prefix and the name ranking rely on
it (`registry.models.base.byte_ordered`). Nothing changes on SQLite, which compares bytes.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = {
    "residents": [("nik", 16), ("desa_code", 13)],
    "resident_name_tokens": [("phrase", 80), ("desa_code", 13)],
}


def _collate(collation: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in _COLUMNS.items():
        changes = ", ".join(f"ALTER COLUMN {name} TYPE varchar({length}) COLLATE {collation}"
                            for name, length in columns)
        op.execute(f"ALTER TABLE {table} {changes}")  # its indexes are rebuilt to match


def upgrade() -> None:
    _collate('"C"')


def downgrade() -> None:
    _collate('"default"')
