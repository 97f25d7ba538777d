"""Printer events: the ready and fault states each printer went through.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 21:45:53.181670
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import registry.models.base

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('printer_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('printer_id', sa.Integer(), nullable=False),
    sa.Column('at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=True),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.CheckConstraint("state IN ('ready', 'fault')", name=op.f('ck_printer_events_state')),
    sa.ForeignKeyConstraint(['printer_id'], ['printers.id'], name=op.f('fk_printer_events_printer_id_printers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_printer_events'))
    )
    with op.batch_alter_table('printer_events', schema=None) as batch_op:
        batch_op.create_index('ix_printer_events_printer_id_at', ['printer_id', 'at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('printer_events', schema=None) as batch_op:
        batch_op.drop_index('ix_printer_events_printer_id_at')

    op.drop_table('printer_events')
