"""The SKM satisfaction survey (PermenPAN-RB 14/2017): one-time codes and anonymous answers.

Three tables that share no key, so no stored value links an answer to a person:

- `SurveyInvitation`: "card X got a code" (one per handover, enforced by the key). It holds no
  code and no reference to a ticket.
- `SurveyTicket`: a code, kept only as a keyed hash, with its office and validity days. It holds
  no card and no time of day.
- `SurveyResponse`: the nine scores and a comment, with the office, the day and the channel. It
  references neither a ticket nor a card; a kiosk answer names no clerk.

Nor does the order they are stored in: tickets and responses are keyed by random values (the
code's keyed hash, 128 random bits) and kept in the order of that key, never in the order they
were written, which the order of handovers in the audit log could match. On SQLite they are
WITHOUT ROWID tables (an ordinary table numbers its rows in insertion order); PostgreSQL keeps
rows in the order written, so `registry.survey` writes a day's rows again in key order after
each change (`restack`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

KIOSK, PAPER = "kiosk", "paper"
CHANNELS = (KIOSK, PAPER)
SCORE_COLUMNS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")


class SurveyInvitation(Base):
    """A handed-over card for which a survey code was issued (never two for one card)."""

    __tablename__ = "survey_invitations"

    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    issued_on: Mapped[dt.date]


class SurveyTicket(Base):
    """A one-time code: valid from ``issued_on`` to ``expires_on`` (local days), used once."""

    __tablename__ = "survey_tickets"
    __table_args__ = (Index("ix_survey_tickets_expires_on", "expires_on"),
                      {"sqlite_with_rowid": False})

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    issued_on: Mapped[dt.date]
    expires_on: Mapped[dt.date]
    used: Mapped[bool] = mapped_column(default=False)


def _score_column() -> Mapped[int | None]:
    return mapped_column(SmallInteger, nullable=True)


class SurveyResponse(Base):
    """One respondent's answers. ``u1``..``u9`` are the nine SKM elements (1-4, blank allowed
    on paper). Paper forms carry the serial printed on the form, unique per office among the
    responses not voided, so a form cannot be counted twice."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        CheckConstraint("channel IN ('kiosk', 'paper')", name="channel"),
        *(CheckConstraint(f"{c} IS NULL OR {c} BETWEEN 1 AND 4", name=f"{c}_scale")
          for c in SCORE_COLUMNS),
        CheckConstraint("channel = 'paper' OR (paper_serial IS NULL AND entered_by IS NULL)",
                        name="kiosk_is_unattended"),
        CheckConstraint("channel = 'kiosk' OR (paper_serial IS NOT NULL AND entered_by IS NOT "
                        "NULL)", name="paper_has_serial"),
        Index("ix_survey_responses_office_code_day", "office_code", "day"),
        Index("ix_survey_responses_day", "day"),  # the kiosk answers of days not yet audited
        Index("uq_survey_responses_paper_serial", "office_code", "paper_serial", unique=True,
              sqlite_where=text("voided_at IS NULL AND paper_serial IS NOT NULL"),
              postgresql_where=text("voided_at IS NULL AND paper_serial IS NOT NULL")),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    day: Mapped[dt.date]
    channel: Mapped[str] = mapped_column(String(8))
    u1: Mapped[int | None] = _score_column()
    u2: Mapped[int | None] = _score_column()
    u3: Mapped[int | None] = _score_column()
    u4: Mapped[int | None] = _score_column()
    u5: Mapped[int | None] = _score_column()
    u6: Mapped[int | None] = _score_column()
    u7: Mapped[int | None] = _score_column()
    u8: Mapped[int | None] = _score_column()
    u9: Mapped[int | None] = _score_column()
    comment: Mapped[str | None] = mapped_column(String(1000))
    paper_serial: Mapped[str | None] = mapped_column(String(40))
    entered_by: Mapped[str | None] = mapped_column(String(80))
    voided_at: Mapped[dt.datetime | None]
    voided_by: Mapped[str | None] = mapped_column(String(80))
    void_reason: Mapped[str | None] = mapped_column(String(300))

    @property
    def scores(self) -> tuple[int | None, ...]:
        return tuple(getattr(self, c) for c in SCORE_COLUMNS)
