"""Last serial issued per NIK or KK prefix: the one row writers contend on, never reset."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class SerialCounter(Base):
    __tablename__ = "serial_counters"

    kind: Mapped[str] = mapped_column(String(3), primary_key=True)  # "nik" or "kk"
    prefix: Mapped[str] = mapped_column(String(12), primary_key=True)
    last_serial: Mapped[int]
