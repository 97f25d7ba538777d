"""Batch reprint jobs: batches, their cards (one row each), and the lease of each printer a
worker drives.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 21:51:49.479938
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import registry.models.base

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('selection', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('finished_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("state IN ('running', 'paused', 'cancelled', 'done')", name=op.f('ck_batches_state')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_batches_office_code_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batches'))
    )
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batches_office_code'), ['office_code'], unique=False)

    op.create_table('batch_printers',
    sa.Column('printer_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=True),
    sa.Column('holder', sa.String(length=120), nullable=True),
    sa.Column('host', sa.String(length=80), nullable=True),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('pid_started', sa.String(length=30), nullable=True),
    sa.Column('acquired_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.Column('heartbeat_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['printer_id'], ['printers.id'], name=op.f('fk_batch_printers_printer_id_printers')),
    sa.PrimaryKeyConstraint('printer_id', name=op.f('pk_batch_printers'))
    )
    op.create_table('batch_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('nik', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('skip_code', sa.String(length=30), nullable=True),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.Column('card_reason', sa.String(length=20), nullable=True),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('signature_id', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('spoiled', sa.Integer(), nullable=False),
    sa.Column('printer_id', sa.Integer(), nullable=True),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.Column('finished_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'printing', 'held', 'printed', 'failed', 'skipped', 'cancelled')", name=op.f('ck_batch_items_state')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_batch_items_batch_id_batches')),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_batch_items_card_id_cards')),
    sa.ForeignKeyConstraint(['photo_id'], ['resident_images.id'], name=op.f('fk_batch_items_photo_id_resident_images')),
    sa.ForeignKeyConstraint(['printer_id'], ['printers.id'], name=op.f('fk_batch_items_printer_id_printers')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_batch_items_resident_id_residents')),
    sa.ForeignKeyConstraint(['signature_id'], ['resident_images.id'], name=op.f('fk_batch_items_signature_id_resident_images')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_items'))
    )
    with op.batch_alter_table('batch_items', schema=None) as batch_op:
        batch_op.create_index('ix_batch_items_batch_id_state_id', ['batch_id', 'state', 'id'], unique=False)
        batch_op.create_index('ix_batch_items_printer_id_state', ['printer_id', 'state'], unique=False)
        batch_op.create_index('ix_batch_items_batch_id_finished_at', ['batch_id', 'finished_at'], unique=False)
        batch_op.create_index('ix_batch_items_spoiled', ['batch_id'], unique=False, sqlite_where=sa.text('spoiled > 0'), postgresql_where=sa.text('spoiled > 0'))
        batch_op.create_index('uq_batch_items_one_active', ['resident_id'], unique=True, sqlite_where=sa.text("state IN ('pending', 'printing', 'held')"), postgresql_where=sa.text("state IN ('pending', 'printing', 'held')"))



def downgrade() -> None:
    with op.batch_alter_table('batch_items', schema=None) as batch_op:
        batch_op.drop_index('uq_batch_items_one_active', sqlite_where=sa.text("state IN ('pending', 'printing', 'held')"), postgresql_where=sa.text("state IN ('pending', 'printing', 'held')"))
        batch_op.drop_index('ix_batch_items_spoiled', sqlite_where=sa.text('spoiled > 0'), postgresql_where=sa.text('spoiled > 0'))
        batch_op.drop_index('ix_batch_items_printer_id_state')
        batch_op.drop_index('ix_batch_items_batch_id_finished_at')
        batch_op.drop_index('ix_batch_items_batch_id_state_id')

    op.drop_table('batch_items')
    op.drop_table('batch_printers')
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batches_office_code'))

    op.drop_table('batches')
