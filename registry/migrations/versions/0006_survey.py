"""The SKM survey: invitations (one per handed-over card), one-time code tickets, and
anonymous responses that reference neither.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-27 21:51:07.504554
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import registry.models.base

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('survey_responses',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('u1', sa.SmallInteger(), nullable=True),
    sa.Column('u2', sa.SmallInteger(), nullable=True),
    sa.Column('u3', sa.SmallInteger(), nullable=True),
    sa.Column('u4', sa.SmallInteger(), nullable=True),
    sa.Column('u5', sa.SmallInteger(), nullable=True),
    sa.Column('u6', sa.SmallInteger(), nullable=True),
    sa.Column('u7', sa.SmallInteger(), nullable=True),
    sa.Column('u8', sa.SmallInteger(), nullable=True),
    sa.Column('u9', sa.SmallInteger(), nullable=True),
    sa.Column('comment', sa.String(length=1000), nullable=True),
    sa.Column('paper_serial', sa.String(length=40), nullable=True),
    sa.Column('entered_by', sa.String(length=80), nullable=True),
    sa.Column('voided_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=80), nullable=True),
    sa.Column('void_reason', sa.String(length=300), nullable=True),
    sa.CheckConstraint("channel = 'kiosk' OR (paper_serial IS NOT NULL AND entered_by IS NOT NULL)", name=op.f('ck_survey_responses_paper_has_serial')),
    sa.CheckConstraint("channel = 'paper' OR (paper_serial IS NULL AND entered_by IS NULL)", name=op.f('ck_survey_responses_kiosk_is_unattended')),
    sa.CheckConstraint("channel IN ('kiosk', 'paper')", name=op.f('ck_survey_responses_channel')),
    sa.CheckConstraint('u1 IS NULL OR u1 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u1_scale')),
    sa.CheckConstraint('u2 IS NULL OR u2 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u2_scale')),
    sa.CheckConstraint('u3 IS NULL OR u3 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u3_scale')),
    sa.CheckConstraint('u4 IS NULL OR u4 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u4_scale')),
    sa.CheckConstraint('u5 IS NULL OR u5 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u5_scale')),
    sa.CheckConstraint('u6 IS NULL OR u6 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u6_scale')),
    sa.CheckConstraint('u7 IS NULL OR u7 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u7_scale')),
    sa.CheckConstraint('u8 IS NULL OR u8 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u8_scale')),
    sa.CheckConstraint('u9 IS NULL OR u9 BETWEEN 1 AND 4', name=op.f('ck_survey_responses_u9_scale')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_survey_responses_office_code_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_responses_office_code_day', ['office_code', 'day'], unique=False)
        batch_op.create_index('uq_survey_responses_paper_serial', ['office_code', 'paper_serial'], unique=True, sqlite_where=sa.text('voided_at IS NULL AND paper_serial IS NOT NULL'), postgresql_where=sa.text('voided_at IS NULL AND paper_serial IS NOT NULL'))

    op.create_table('survey_tickets',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_survey_tickets_office_code_offices')),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_survey_tickets'))
    )
    with op.batch_alter_table('survey_tickets', schema=None) as batch_op:
        batch_op.create_index('ix_survey_tickets_expires_on', ['expires_on'], unique=False)

    op.create_table('survey_invitations',
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_survey_invitations_card_id_cards')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_survey_invitations_office_code_offices')),
    sa.PrimaryKeyConstraint('card_id', name=op.f('pk_survey_invitations'))
    )


def downgrade() -> None:
    op.drop_table('survey_invitations')
    with op.batch_alter_table('survey_tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_tickets_expires_on')

    op.drop_table('survey_tickets')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('uq_survey_responses_paper_serial', sqlite_where=sa.text('voided_at IS NULL AND paper_serial IS NOT NULL'), postgresql_where=sa.text('voided_at IS NULL AND paper_serial IS NOT NULL'))
        batch_op.drop_index('ix_survey_responses_office_code_day')

    op.drop_table('survey_responses')
