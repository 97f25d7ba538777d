"""Photos and signatures of residents. Rows are never overwritten: the photo a card was printed
with stays retrievable after a new one is taken."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

PHOTO, SIGNATURE = "photo", "signature"


class ResidentImage(Base):
    __tablename__ = "resident_images"
    __table_args__ = (
        CheckConstraint("kind IN ('photo', 'signature')", name="kind"),
        Index("ix_resident_images_resident_id_kind_id", "resident_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    kind: Mapped[str] = mapped_column(String(10))
    media_type: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int]
    height: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
