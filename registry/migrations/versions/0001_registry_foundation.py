"""Registry foundation: regions, offices, families, residents and their images, users,
tokens, audit log.

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 20:47:05.174748
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
import registry.models.base
from registry.migrations.append_only import forbid_changes, allow_changes

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('office_code', sa.String(length=13), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_key', sa.String(length=40), nullable=False),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_actor', ['actor'], unique=False)
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_log_entity_entity_key', ['entity', 'entity_key'], unique=False)

    op.create_table('region_datasets',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('loaded_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_region_datasets'))
    )
    op.create_table('regions',
    sa.Column('code', sa.String(length=13), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('parent_code', sa.String(length=13), nullable=True),
    sa.CheckConstraint('level BETWEEN 1 AND 4', name=op.f('ck_regions_level')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index('ix_regions_parent_code_name', ['parent_code', 'name'], unique=False)

    op.create_table('serial_counters',
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'prefix', name=op.f('pk_serial_counters'))
    )
    op.create_table('families',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kk', sa.String(length=16), nullable=False),
    sa.Column('alamat', sa.String(length=120), nullable=False),
    sa.Column('rt', sa.String(length=3), nullable=False),
    sa.Column('rw', sa.String(length=3), nullable=False),
    sa.Column('desa_code', sa.String(length=13), nullable=False),
    sa.Column('created_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['desa_code'], ['regions.code'], name=op.f('fk_families_desa_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_families')),
    sa.UniqueConstraint('kk', name=op.f('uq_families_kk'))
    )
    with op.batch_alter_table('families', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_families_desa_code'), ['desa_code'], unique=False)

    op.create_table('offices',
    sa.Column('code', sa.String(length=13), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['code'], ['regions.code'], name=op.f('fk_offices_code_regions')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_offices'))
    )
    op.create_table('residents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nik', sa.String(length=16), nullable=False),
    sa.Column('nama', sa.String(length=60), nullable=False),
    sa.Column('name_key', sa.String(length=80), nullable=False),
    sa.Column('tempat_lahir', sa.String(length=40), nullable=False),
    sa.Column('tanggal_lahir', sa.Date(), nullable=False),
    sa.Column('jenis_kelamin', sa.String(length=10), nullable=False),
    sa.Column('golongan_darah', sa.String(length=10), nullable=False),
    sa.Column('agama', sa.String(length=40), nullable=False),
    sa.Column('status_perkawinan', sa.String(length=12), nullable=False),
    sa.Column('pekerjaan', sa.String(length=60), nullable=False),
    sa.Column('kewarganegaraan', sa.String(length=3), nullable=False),
    sa.Column('itap_berlaku_hingga', sa.Date(), nullable=True),
    sa.Column('alamat', sa.String(length=120), nullable=False),
    sa.Column('rt', sa.String(length=3), nullable=False),
    sa.Column('rw', sa.String(length=3), nullable=False),
    sa.Column('desa_code', sa.String(length=13), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('hubungan_keluarga', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("jenis_kelamin IN ('LAKI-LAKI', 'PEREMPUAN')", name=op.f('ck_residents_jenis_kelamin')),
    sa.CheckConstraint("kewarganegaraan IN ('WNI', 'WNA')", name=op.f('ck_residents_kewarganegaraan')),
    sa.CheckConstraint("status IN ('AKTIF', 'PINDAH', 'MENINGGAL')", name=op.f('ck_residents_status')),
    sa.CheckConstraint('length(nik) = 16', name=op.f('ck_residents_nik_length')),
    sa.ForeignKeyConstraint(['desa_code'], ['regions.code'], name=op.f('fk_residents_desa_code_regions')),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_residents_family_id_families')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residents')),
    sa.UniqueConstraint('nik', name=op.f('uq_residents_nik'))
    )
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_residents_desa_code'), ['desa_code'], unique=False)
        batch_op.create_index('ix_residents_duplicate_key', ['name_key', 'tanggal_lahir', 'jenis_kelamin'], unique=False)
        batch_op.create_index(batch_op.f('ix_residents_family_id'), ['family_id'], unique=False)
        batch_op.create_index('uq_residents_one_kepala_keluarga', ['family_id'], unique=True, sqlite_where=sa.text("hubungan_keluarga = 'KEPALA KELUARGA' AND status = 'AKTIF'"), postgresql_where=sa.text("hubungan_keluarga = 'KEPALA KELUARGA' AND status = 'AKTIF'"))

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('full_name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('office_code', sa.String(length=13), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', registry.models.base.UTCDateTime(), nullable=True),
    sa.Column('created_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("role IN ('operator', 'supervisor', 'admin')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_users_office_code_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_office_code'), ['office_code'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', registry.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('resident_name_tokens',
    sa.Column('phrase', sa.String(length=80), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('desa_code', sa.String(length=13), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_resident_name_tokens_resident_id_residents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('phrase', 'resident_id', name=op.f('pk_resident_name_tokens')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('resident_name_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_resident_name_tokens_resident_id_phrase', ['resident_id', 'phrase'], unique=False)

    op.create_table('resident_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('media_type', sa.String(length=20), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', registry.models.base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('photo', 'signature')", name=op.f('ck_resident_images_kind')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_resident_images_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resident_images'))
    )
    with op.batch_alter_table('resident_images', schema=None) as batch_op:
        batch_op.create_index('ix_resident_images_resident_id_kind_id', ['resident_id', 'kind', 'id'], unique=False)

    forbid_changes("audit_log")


def downgrade() -> None:
    allow_changes("audit_log")
    op.drop_table('resident_images')
    with op.batch_alter_table('resident_name_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_resident_name_tokens_resident_id_phrase')

    op.drop_table('resident_name_tokens')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_office_code'))

    op.drop_table('users')
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_index('uq_residents_one_kepala_keluarga', sqlite_where=sa.text("hubungan_keluarga = 'KEPALA KELUARGA' AND status = 'AKTIF'"), postgresql_where=sa.text("hubungan_keluarga = 'KEPALA KELUARGA' AND status = 'AKTIF'"))
        batch_op.drop_index(batch_op.f('ix_residents_family_id'))
        batch_op.drop_index('ix_residents_duplicate_key')
        batch_op.drop_index(batch_op.f('ix_residents_desa_code'))

    op.drop_table('residents')
    op.drop_table('offices')
    with op.batch_alter_table('families', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_families_desa_code'))

    op.drop_table('families')
    op.drop_table('serial_counters')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index('ix_regions_parent_code_name')

    op.drop_table('regions')
    op.drop_table('region_datasets')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entity_entity_key')
        batch_op.drop_index('ix_audit_log_at')
        batch_op.drop_index('ix_audit_log_actor')

    op.drop_table('audit_log')
