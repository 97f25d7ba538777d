"""Issuance: applications and their timeline, cards, print attempts, blank-card stock.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 21:41:12.352861
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
import registry.models.base

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stock_balances',
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('reserved', sa.Integer(), nullable=False),
    sa.CheckConstraint('on_hand >= 0', name=op.f('ck_stock_balances_on_hand_not_negative')),
    sa.CheckConstraint('reserved >= 0 AND reserved <= on_hand', name=op.f('ck_stock_balances_reserved_within_on_hand')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_stock_balances_office_code_offices')),
    sa.PrimaryKeyConstraint('office_code', name=op.f('pk_stock_balances'))
    )
    op.create_table('stock_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('reference', sa.String(length=80), nullable=True),
    sa.Column('printer_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.CheckConstraint("kind IN ('RECEIVED', 'PRINTED', 'SPOILED', 'RETURNED', 'TRANSFER_OUT', 'TRANSFER_IN')", name=op.f('ck_stock_movements_kind')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_stock_movements_office_code_offices')),
    sa.ForeignKeyConstraint(['printer_id'], ['printers.id'], name=op.f('fk_stock_movements_printer_id_printers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movements'))
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index('ix_stock_movements_office_code_at', ['office_code', 'at'], unique=False)

    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=True),
    sa.Column('police_report_no', sa.String(length=60), nullable=True),
    sa.Column('damaged_card_returned', sa.Boolean(), nullable=True),
    sa.Column('document_ref', sa.String(length=120), nullable=True),
    sa.Column('changed_fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('signature_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('verified_by', sa.String(length=80), nullable=True),
    sa.Column('verified_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.Column('rejection_reason', sa.String(length=300), nullable=True),
    sa.Column('failure_reason', sa.String(length=300), nullable=True),
    sa.Column('updated_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('BARU', 'CETAK ULANG')", name=op.f('ck_applications_kind')),
    sa.CheckConstraint("state IN ('DIAJUKAN', 'DIVERIFIKASI', 'DICETAK', 'DISERAHKAN', 'DITOLAK', 'GAGAL CETAK')", name=op.f('ck_applications_state')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_applications_office_code_offices')),
    sa.ForeignKeyConstraint(['photo_id'], ['resident_images.id'], name=op.f('fk_applications_photo_id_resident_images')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_applications_resident_id_residents')),
    sa.ForeignKeyConstraint(['signature_id'], ['resident_images.id'], name=op.f('fk_applications_signature_id_resident_images')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_office_code_state', ['office_code', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('uq_applications_one_open', ['resident_id'], unique=True, sqlite_where=sa.text("state IN ('DIAJUKAN', 'DIVERIFIKASI', 'DICETAK', 'GAGAL CETAK')"), postgresql_where=sa.text("state IN ('DIAJUKAN', 'DIVERIFIKASI', 'DICETAK', 'GAGAL CETAK')"))

    op.create_table('application_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('from_state', sa.String(length=12), nullable=True),
    sa.Column('to_state', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_events_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_events'))
    )
    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_events_application_id'), ['application_id'], unique=False)

    op.create_table('cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('nik', sa.String(length=16), nullable=False),
    sa.Column('copy_number', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('replaces_card_id', sa.Integer(), nullable=True),
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('printer_id', sa.Integer(), nullable=True),
    sa.Column('printer_serial', sa.String(length=40), nullable=True),
    sa.Column('printer_card_number', sa.Integer(), nullable=True),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('signature_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('state', sa.String(length=14), nullable=False),
    sa.Column('printed_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('printed_by', sa.String(length=80), nullable=False),
    sa.Column('handed_over_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.Column('handed_over_by', sa.String(length=80), nullable=True),
    sa.Column('received_by', sa.String(length=80), nullable=True),
    sa.Column('invalidated_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.Column('invalid_reason', sa.String(length=200), nullable=True),
    sa.CheckConstraint("state IN ('DICETAK', 'AKTIF', 'TIDAK BERLAKU')", name=op.f('ck_cards_state')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_cards_application_id_applications')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_cards_office_code_offices')),
    sa.ForeignKeyConstraint(['photo_id'], ['resident_images.id'], name=op.f('fk_cards_photo_id_resident_images')),
    sa.ForeignKeyConstraint(['printer_id'], ['printers.id'], name=op.f('fk_cards_printer_id_printers')),
    sa.ForeignKeyConstraint(['replaces_card_id'], ['cards.id'], name=op.f('fk_cards_replaces_card_id_cards')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_cards_resident_id_residents')),
    sa.ForeignKeyConstraint(['signature_id'], ['resident_images.id'], name=op.f('fk_cards_signature_id_resident_images')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cards'))
    )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cards_nik'), ['nik'], unique=False)
        batch_op.create_index(batch_op.f('ix_cards_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('uq_cards_resident_id_copy_number', ['resident_id', 'copy_number'], unique=True)

    op.create_table('print_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('printer_id', sa.Integer(), nullable=False),
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('counter_before', sa.Integer(), nullable=True),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('error_code', sa.String(length=30), nullable=True),
    sa.Column('error_message', sa.String(length=500), nullable=True),
    sa.Column('card_consumed', sa.Boolean(), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('started_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('finished_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("state IN ('printing', 'printed', 'failed', 'held')", name=op.f('ck_print_attempts_state')),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_print_attempts_card_id_cards')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_print_attempts_office_code_offices')),
    sa.ForeignKeyConstraint(['printer_id'], ['printers.id'], name=op.f('fk_print_attempts_printer_id_printers')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_print_attempts_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_attempts')),
    sa.UniqueConstraint('job_id', name=op.f('uq_print_attempts_job_id'))
    )
    with op.batch_alter_table('print_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_print_attempts_printer_id_state', ['printer_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_attempts_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_print_attempts_source_source_id', ['source', 'source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('print_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_print_attempts_source_source_id')
        batch_op.drop_index(batch_op.f('ix_print_attempts_resident_id'))
        batch_op.drop_index('ix_print_attempts_printer_id_state')

    op.drop_table('print_attempts')
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index('uq_cards_resident_id_copy_number')
        batch_op.drop_index(batch_op.f('ix_cards_resident_id'))
        batch_op.drop_index(batch_op.f('ix_cards_nik'))

    op.drop_table('cards')
    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_events_application_id'))

    op.drop_table('application_events')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('uq_applications_one_open', sqlite_where=sa.text("state IN ('DIAJUKAN', 'DIVERIFIKASI', 'DICETAK', 'GAGAL CETAK')"), postgresql_where=sa.text("state IN ('DIAJUKAN', 'DIVERIFIKASI', 'DICETAK', 'GAGAL CETAK')"))
        batch_op.drop_index(batch_op.f('ix_applications_resident_id'))
        batch_op.drop_index('ix_applications_office_code_state')

    op.drop_table('applications')
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_movements_office_code_at')

    op.drop_table('stock_movements')
    op.drop_table('stock_balances')
