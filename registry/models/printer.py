"""Card printers the offices use, addressed by a driver URI (usb://, tcp://, file://, virtual://)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Printer(Base):
    __tablename__ = "printers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    uri: Mapped[str] = mapped_column(String(300))
    office_code: Mapped[str | None] = mapped_column(ForeignKey("offices.code"), index=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
