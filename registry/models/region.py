"""Regions of the Kemendagri code list, and the service offices that sit on them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

PROVINSI, KABUPATEN, KECAMATAN, DESA = 1, 2, 3, 4
LEVEL_NAMES = {PROVINSI: "provinsi", KABUPATEN: "kabupaten/kota", KECAMATAN: "kecamatan",
               DESA: "desa/kelurahan"}


class Region(Base):
    """One row of ``wilayah.csv``: ``33`` / ``33.14`` / ``33.14.10`` / ``33.14.10.2007``."""

    __tablename__ = "regions"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        Index("ix_regions_parent_code_name", "parent_code", "name"),
    )

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[int]
    parent_code: Mapped[str | None] = mapped_column(String(13))


class Office(Base):
    """A service point (the kabupaten's KPT, a kecamatan office, a village office).

    Identified by the code of the region it serves: it sees the residents of that region.
    """

    __tablename__ = "offices"

    code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def serves(self, region_code: str) -> bool:
        return region_code == self.code or region_code.startswith(self.code + ".")


class RegionDataset(Base):
    """Which edition of the region list is loaded, so `ktp init` can skip a reload."""

    __tablename__ = "region_datasets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    checksum: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
