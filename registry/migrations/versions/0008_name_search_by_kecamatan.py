"""Index the name phrases by kecamatan, so a search within a kecamatan or desa reads only
that kecamatan's phrases.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_resident_name_tokens_kecamatan_phrase"


def upgrade() -> None:
    # The expression is written as `registry.models.resident.kecamatan_of` renders it: a
    # query uses the index only when its expression is the same.
    op.execute(f"CREATE INDEX {_INDEX} ON resident_name_tokens "
               "(substr(desa_code, 1, 8), phrase, resident_id, desa_code)")


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="resident_name_tokens")
