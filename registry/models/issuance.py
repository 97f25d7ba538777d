"""KTP applications, the cards printed for them, and every attempt to print one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .printer import Printer
from .resident import Resident

# Application kinds and reprint reasons (cetak ulang).
BARU, CETAK_ULANG = "BARU", "CETAK ULANG"
RUSAK, HILANG, PERUBAHAN_DATA = "RUSAK", "HILANG", "PERUBAHAN DATA"
REPRINT_REASONS = (RUSAK, HILANG, PERUBAHAN_DATA)

# Application states: diajukan -> diverifikasi -> dicetak -> diserahkan, or ditolak / gagal cetak.
DIAJUKAN, DIVERIFIKASI, DICETAK, DISERAHKAN = "DIAJUKAN", "DIVERIFIKASI", "DICETAK", "DISERAHKAN"
DITOLAK, GAGAL_CETAK = "DITOLAK", "GAGAL CETAK"
OPEN_STATES = (DIAJUKAN, DIVERIFIKASI, DICETAK, GAGAL_CETAK)

# Card states: printed (not yet handed over) -> active (handed over) -> invalid (replaced).
CARD_PRINTED, CARD_ACTIVE, CARD_INVALID = "DICETAK", "AKTIF", "TIDAK BERLAKU"

# Print attempts: printing -> printed | failed, or held when only a clerk can tell.
ATTEMPT_PRINTING, ATTEMPT_PRINTED, ATTEMPT_FAILED, ATTEMPT_HELD = (
    "printing", "printed", "failed", "held")


class Application(Base):
    """A request for a KTP (permohonan): a first card or a reprint with its evidence."""

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint("kind IN ('BARU', 'CETAK ULANG')", name="kind"),
        CheckConstraint(
            "state IN ('DIAJUKAN', 'DIVERIFIKASI', 'DICETAK', 'DISERAHKAN', 'DITOLAK', "
            "'GAGAL CETAK')", name="state"),
        Index("ix_applications_office_code_state", "office_code", "state"),
        # One open application per resident at a time.
        Index("uq_applications_one_open", "resident_id", unique=True,
              sqlite_where=text("state IN ('DIAJUKAN', 'DIVERIFIKASI', 'DICETAK', 'GAGAL CETAK')"),
              postgresql_where=text(
                  "state IN ('DIAJUKAN', 'DIVERIFIKASI', 'DICETAK', 'GAGAL CETAK')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(20))
    police_report_no: Mapped[str | None] = mapped_column(String(60))
    damaged_card_returned: Mapped[bool | None]
    document_ref: Mapped[str | None] = mapped_column(String(120))
    changed_fields: Mapped[dict[str, Any] | None]
    state: Mapped[str] = mapped_column(String(12), default=DIAJUKAN)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("resident_images.id"))
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("resident_images.id"))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    verified_by: Mapped[str | None] = mapped_column(String(80))
    verified_at: Mapped[dt.datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(String(300))
    failure_reason: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    resident: Mapped[Resident] = relationship()
    events: Mapped[list[ApplicationEvent]] = relationship(
        order_by="ApplicationEvent.id", lazy="selectin")

    @property
    def first_time(self) -> bool:
        return self.kind == BARU


class ApplicationEvent(Base):
    """One step of an application's timeline (also in the audit log)."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(300))


class Card(Base):
    """A physical card that came out of a printer. Never deleted: the history of a person's
    cards, each with the data and photo it was printed with and the card it replaces."""

    __tablename__ = "cards"
    __table_args__ = (
        CheckConstraint("state IN ('DICETAK', 'AKTIF', 'TIDAK BERLAKU')", name="state"),
        Index("uq_cards_resident_id_copy_number", "resident_id", "copy_number", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    nik: Mapped[str] = mapped_column(String(16), index=True)
    copy_number: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))  # BARU or a reprint reason
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    replaces_card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))
    printer_serial: Mapped[str | None] = mapped_column(String(40))
    printer_card_number: Mapped[int | None]
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("resident_images.id"))
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("resident_images.id"))
    data: Mapped[dict[str, Any]]  # the printed values, as on the card
    state: Mapped[str] = mapped_column(String(14), default=CARD_PRINTED)
    printed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    printed_by: Mapped[str] = mapped_column(String(80))
    handed_over_at: Mapped[dt.datetime | None]
    handed_over_by: Mapped[str | None] = mapped_column(String(80))
    received_by: Mapped[str | None] = mapped_column(String(80))
    invalidated_at: Mapped[dt.datetime | None]
    invalid_reason: Mapped[str | None] = mapped_column(String(200))

    printer: Mapped[Printer | None] = relationship()


class PrintAttempt(Base):
    """One try at putting one card out of one printer.

    ``counter_before`` is the printer's cards-inserted counter read just before the card was
    sent: after a crash it tells whether a blank was taken (see `app.issuance.settle`).
    ``panels_before`` (its panel counter then) and ``panels_in_job`` (how far the card moves
    that counter) tell a blank that came out printed from one spoiled and pulled out.
    ``source``/``source_id`` say what asked for the card (an application, a batch item).
    """

    __tablename__ = "print_attempts"
    __table_args__ = (
        CheckConstraint("state IN ('printing', 'printed', 'failed', 'held')", name="state"),
        Index("ix_print_attempts_source_source_id", "source", "source_id"),
        Index("ix_print_attempts_printer_id_state", "printer_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int]
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    printer_id: Mapped[int] = mapped_column(ForeignKey("printers.id"))
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))  # whose blank it uses
    state: Mapped[str] = mapped_column(String(10), default=ATTEMPT_PRINTING)
    counter_before: Mapped[int | None]
    panels_before: Mapped[int | None]
    panels_in_job: Mapped[int | None]
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    error_code: Mapped[str | None] = mapped_column(String(30))
    error_message: Mapped[str | None] = mapped_column(String(500))
    card_consumed: Mapped[bool | None]
    actor: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]

    printer: Mapped[Printer] = relationship()
