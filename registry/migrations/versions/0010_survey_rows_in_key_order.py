"""Survey tickets and responses stored in the order of their random keys, never in the order
they were written: on SQLite they become WITHOUT ROWID tables (a rowid numbers rows in
insertion order, and the order of answers or codes could be matched with the order of
handovers in the audit log); on PostgreSQL the rows already stored are written again in key
order (`registry.survey` keeps them so from then on). Every row is kept. Responses get an
index by day, for auditing the kiosk answers of each past day as one count.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import registry.models.base

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PAPER_ONLY = "voided_at IS NULL AND paper_serial IS NOT NULL"
_SCORES = [f"u{n}" for n in range(1, 10)]


def _tickets(with_rowid: bool) -> sa.Table:
    table = sa.Table(
        "survey_tickets", sa.MetaData(),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("office_code", sa.String(length=13), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["office_code"], ["offices.code"],
                                name="fk_survey_tickets_office_code_offices"),
        sa.PrimaryKeyConstraint("code_hash", name="pk_survey_tickets"),
        sqlite_with_rowid=with_rowid,
    )
    sa.Index("ix_survey_tickets_expires_on", table.c.expires_on)
    return table


def _responses(with_rowid: bool) -> sa.Table:
    table = sa.Table(
        "survey_responses", sa.MetaData(),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("office_code", sa.String(length=13), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        *(sa.Column(c, sa.SmallInteger(), nullable=True) for c in _SCORES),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("paper_serial", sa.String(length=40), nullable=True),
        sa.Column("entered_by", sa.String(length=80), nullable=True),
        sa.Column("voided_at", registry.models.base.UTCDateTime(), nullable=True),
        sa.Column("voided_by", sa.String(length=80), nullable=True),
        sa.Column("void_reason", sa.String(length=300), nullable=True),
        sa.CheckConstraint("channel = 'kiosk' OR (paper_serial IS NOT NULL AND entered_by IS "
                           "NOT NULL)", name="ck_survey_responses_paper_has_serial"),
        sa.CheckConstraint("channel = 'paper' OR (paper_serial IS NULL AND entered_by IS NULL)",
                           name="ck_survey_responses_kiosk_is_unattended"),
        sa.CheckConstraint("channel IN ('kiosk', 'paper')", name="ck_survey_responses_channel"),
        *(sa.CheckConstraint(f"{c} IS NULL OR {c} BETWEEN 1 AND 4",
                             name=f"ck_survey_responses_{c}_scale") for c in _SCORES),
        sa.ForeignKeyConstraint(["office_code"], ["offices.code"],
                                name="fk_survey_responses_office_code_offices"),
        sa.PrimaryKeyConstraint("id", name="pk_survey_responses"),
        sqlite_with_rowid=with_rowid,
    )
    sa.Index("ix_survey_responses_office_code_day", table.c.office_code, table.c.day)
    if not with_rowid:
        sa.Index("ix_survey_responses_day", table.c.day)
    sa.Index("uq_survey_responses_paper_serial", table.c.office_code, table.c.paper_serial,
             unique=True, sqlite_where=sa.text(_PAPER_ONLY),
             postgresql_where=sa.text(_PAPER_ONLY))
    return table


def _recreate(with_rowid: bool) -> None:
    """SQLite: copy each table into a new one made with or without a rowid (batch mode)."""
    for table in (_tickets(with_rowid), _responses(with_rowid)):
        with op.batch_alter_table(table.name, recreate="always", copy_from=table,
                                  table_kwargs={"sqlite_with_rowid": with_rowid}):
            pass


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate(with_rowid=False)
        return
    op.create_index("ix_survey_responses_day", "survey_responses", ["day"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CLUSTER survey_tickets USING pk_survey_tickets")
        op.execute("CLUSTER survey_responses USING pk_survey_responses")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate(with_rowid=True)
        return
    op.drop_index("ix_survey_responses_day", "survey_responses")
