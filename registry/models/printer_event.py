"""What each printer said over time: ready, or a fault with its code. Workers pause on a
fault and resume when it clears; the service indicators compute uptime from these rows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

READY, FAULT = "ready", "fault"


class PrinterEvent(Base):
    __tablename__ = "printer_events"
    __table_args__ = (
        CheckConstraint("state IN ('ready', 'fault')", name="state"),
        Index("ix_printer_events_printer_id_at", "printer_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    printer_id: Mapped[int] = mapped_column(ForeignKey("printers.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(10))
    code: Mapped[str | None] = mapped_column(String(30))
    message: Mapped[str | None] = mapped_column(String(500))
