"""Residents (penduduk), their families (Kartu Keluarga) and the name index used by search."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, byte_ordered, utcnow


class Family(Base):
    """A household on one Kartu Keluarga: exactly one active KEPALA KELUARGA and members."""

    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    kk: Mapped[str] = mapped_column(String(16), unique=True)
    alamat: Mapped[str] = mapped_column(String(120))
    rt: Mapped[str] = mapped_column(String(3))
    rw: Mapped[str] = mapped_column(String(3))
    desa_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    members: Mapped[list[Resident]] = relationship(
        back_populates="family", order_by="Resident.id", lazy="selectin"
    )


class Resident(Base):
    """One person and every element a KTP carries.

    ``nik``, ``tempat_lahir``, ``tanggal_lahir``, ``golongan_darah`` and ``jenis_kelamin`` are
    static (Permendagri 74/2015; the sex is encoded in the NIK): the services refuse to change
    them after registration.
    """

    __tablename__ = "residents"
    __table_args__ = (
        CheckConstraint("jenis_kelamin IN ('LAKI-LAKI', 'PEREMPUAN')", name="jenis_kelamin"),
        CheckConstraint("kewarganegaraan IN ('WNI', 'WNA')", name="kewarganegaraan"),
        CheckConstraint("status IN ('AKTIF', 'PINDAH', 'MENINGGAL')", name="status"),
        CheckConstraint("length(nik) = 16", name="nik_length"),
        Index("ix_residents_duplicate_key", "name_key", "tanggal_lahir", "jenis_kelamin"),
        Index(
            "uq_residents_one_kepala_keluarga",
            "family_id",
            unique=True,
            sqlite_where=text("hubungan_keluarga = 'KEPALA KELUARGA' AND status = 'AKTIF'"),
            postgresql_where=text("hubungan_keluarga = 'KEPALA KELUARGA' AND status = 'AKTIF'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str] = mapped_column(byte_ordered(16), unique=True)
    nama: Mapped[str] = mapped_column(String(60))
    name_key: Mapped[str] = mapped_column(String(80))
    tempat_lahir: Mapped[str] = mapped_column(String(40))
    tanggal_lahir: Mapped[dt.date] = mapped_column(Date)
    jenis_kelamin: Mapped[str] = mapped_column(String(10))
    golongan_darah: Mapped[str] = mapped_column(String(10))
    agama: Mapped[str] = mapped_column(String(40))
    status_perkawinan: Mapped[str] = mapped_column(String(12))
    pekerjaan: Mapped[str] = mapped_column(String(60))
    kewarganegaraan: Mapped[str] = mapped_column(String(3))
    itap_berlaku_hingga: Mapped[dt.date | None] = mapped_column(Date)
    alamat: Mapped[str] = mapped_column(String(120))
    rt: Mapped[str] = mapped_column(String(3))
    rw: Mapped[str] = mapped_column(String(3))
    desa_code: Mapped[str] = mapped_column(byte_ordered(13), ForeignKey("regions.code"), index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    hubungan_keluarga: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="AKTIF")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    family: Mapped[Family] = relationship(back_populates="members")

    __mapper_args__ = {"version_id_col": version}

    @property
    def female(self) -> bool:
        return self.jenis_kelamin == "PEREMPUAN"

    @property
    def kecamatan_code(self) -> str:
        return self.desa_code.rsplit(".", 1)[0]


class ResidentNameToken(Base):
    """One phrase of a resident's spelling-folded name: the name from one word to its end.

    A prefix search is then an index range scan already in rank order (a whole-word match
    sorts before a longer word, then alphabetically), and the area filter is read from the
    same row instead of a join. A second index puts each kecamatan's phrases together, in
    the same order, so a search within a kecamatan or desa reads only that kecamatan's
    phrases, not the registry's (where a desa's are one in hundreds). See `registry.names.keys`
    and `registry.search`.
    """

    __tablename__ = "resident_name_tokens"
    __table_args__ = (
        Index("ix_resident_name_tokens_resident_id_phrase", "resident_id", "phrase"),
        {"sqlite_with_rowid": False},
    )

    phrase: Mapped[str] = mapped_column(byte_ordered(80), primary_key=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    desa_code: Mapped[str] = mapped_column(byte_ordered(13))


def kecamatan_of(desa_code: ColumnElement[str]) -> ColumnElement[str]:
    """The kecamatan code in a desa code (``33.14.10`` of ``33.14.10.2007``: codes have fixed
    widths). Written with literal numbers so that a query's expression is the index's."""
    return func.substr(desa_code, literal_column("1"), literal_column("8"))


# In the primary key's order within each kecamatan, and holding the desa code, so a search in
# a kecamatan or desa reads its entries alone, in rank order, without visiting the table.
Index("ix_resident_name_tokens_kecamatan_phrase", kecamatan_of(ResidentNameToken.desa_code),
      ResidentNameToken.phrase, ResidentNameToken.resident_id, ResidentNameToken.desa_code)
