"""Blank cards (blangko): a per-office balance that can never go negative, and its ledger."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

RECEIVED, PRINTED, SPOILED, RETURNED, TRANSFER_OUT, TRANSFER_IN = (
    "RECEIVED", "PRINTED", "SPOILED", "RETURNED", "TRANSFER_OUT", "TRANSFER_IN")
MOVEMENT_KINDS = (RECEIVED, PRINTED, SPOILED, RETURNED, TRANSFER_OUT, TRANSFER_IN)


class StockBalance(Base):
    """Blanks on hand at an office, and how many are set aside for cards being printed.

    The database refuses a negative balance or more reservations than blanks, so no race can
    print beyond the stock.
    """

    __tablename__ = "stock_balances"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
    )

    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockMovement(Base):
    """One change of an office's blanks (the ledger). ``quantity`` is signed."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('RECEIVED', 'PRINTED', 'SPOILED', 'RETURNED', 'TRANSFER_OUT', "
            "'TRANSFER_IN')", name="kind"),
        Index("ix_stock_movements_office_code_at", "office_code", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(12))
    quantity: Mapped[int]
    reason: Mapped[str | None] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(80))  # card, transfer, delivery note
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))
    actor: Mapped[str] = mapped_column(String(80))
