"""Print attempts record the printer's panel counter with its card counter: ``panels_before``
(its ``Rco;p`` just before the card was sent) and ``panels_in_job`` (how far the card moves
it once fully printed). Settling an attempt after a crash then tells a card that came out
(one blank taken, all its panels printed) from a blank spoiled by a jam, an open cover or an
ended ribbon and pulled out by the operator (one blank taken, none of its panels printed),
which the card counter alone cannot. Attempts recorded before keep both empty and are settled
as before.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("print_attempts", sa.Column("panels_before", sa.Integer(), nullable=True))
    op.add_column("print_attempts", sa.Column("panels_in_job", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("print_attempts", schema=None) as batch_op:
        batch_op.drop_column("panels_in_job")
        batch_op.drop_column("panels_before")
