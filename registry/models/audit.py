"""The append-only audit log. Database triggers (see the migrations) refuse UPDATE and DELETE."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity_entity_key", "entity", "entity_key"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_actor", "actor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    office_code: Mapped[str | None] = mapped_column(String(13))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(30))
    entity_key: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any] | None]
    note: Mapped[str | None] = mapped_column(String(500))
