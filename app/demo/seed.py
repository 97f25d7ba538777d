"""`ktp seed`: demo residents of Kabupaten Sragen through the real import path."""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

import printing
from registry import audit, offices, regions
from registry.audit import Actor
from registry.csv_layout import HEADER
from registry.db import Database
from registry.demo import SRAGEN, DemoPopulation
from registry.dialect import bulk_insert
from registry.errors import RegistryError
from registry.importer import import_csv
from registry.models import Family, Resident, ResidentImage, utcnow

from . import portraits


@dataclass(frozen=True)
class SeedReport:
    residents: int
    families: int
    photos: int


def ensure_sragen_offices(database: Database, actor: Actor) -> None:
    """The KPT of Kabupaten Sragen and one office per kecamatan."""
    with database.write() as session:
        index = regions.index(session)
        for code in [SRAGEN, *index.children(SRAGEN)]:
            offices.ensure(session, actor, code)


def _highest_serials(session, column, prefix: str) -> dict[str, int]:
    head, serial = func.substr(column, 1, 12), func.max(func.substr(column, 13, 4))
    rows = session.execute(select(head, serial).where(column.like(prefix + "%")).group_by(head))
    return {p: int(s) for p, s in rows}


def seed_residents(database: Database, actor: Actor, count: int, *, seed: int = 1,
                   photos: bool = True, progress: Callable[[int], None] | None = None,
                   ) -> SeedReport:
    ensure_sragen_offices(database, actor)
    with database.read() as session:
        index = regions.index(session)
        areas = {k: index.children(k) for k in index.children(SRAGEN)}
        digits = SRAGEN.replace(".", "")
        population = DemoPopulation(
            areas, seed=seed,
            taken_nik=_highest_serials(session, Resident.nik, digits),
            taken_kk=_highest_serials(session, Family.kk, digits),
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"demo-seed-{seed}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            niks = []
            for row in population.rows(count):
                writer.writerow(row)
                niks.append(row[0])
        report = import_csv(database, path, actor, progress=progress)
    if report.errors:  # the generator broke its own rules: a bug, not a user error
        raise RegistryError(f"demo data rejected: {report.errors[0]}")
    drawn = _draw_images(database, actor, niks) if photos else 0
    return SeedReport(report.imported, report.families_created, drawn)


def _draw_images(database: Database, actor: Actor, niks: list[str]) -> int:
    drawn = 0
    for start in range(0, len(niks), 500):
        chunk = niks[start:start + 500]
        with database.write() as session:
            people = session.execute(
                select(Resident.id, Resident.nik, Resident.nama, Resident.tanggal_lahir,
                       Resident.jenis_kelamin, Resident.kewarganegaraan)
                .where(Resident.nik.in_(chunk))
            ).all()
            rows = []
            for rid, nik, nama, born, sex, citizenship in people:
                layout = printing.layout_for(citizenship)
                photo = printing.prepare_photo(
                    portraits.portrait(nik, born.year, sex == "PEREMPUAN", citizenship == "WNA"),
                    tanggal_lahir=born, layout=layout)
                sign = printing.prepare_signature(portraits.signature(nik, nama), layout=layout)
                for kind, data, media, size in (
                    ("photo", photo.jpeg, "image/jpeg", photo.size),
                    ("signature", sign, "image/png", printing.get_layout(layout).signature.pixels()),
                ):
                    rows.append({"resident_id": rid, "kind": kind, "media_type": media,
                                 "data": data, "width": size[0], "height": size[1],
                                 "sha256": _sha(data), "created_by": actor.name,
                                 "created_at": utcnow()})
            bulk_insert(session, ResidentImage.__table__, rows)
            audit.record(session, actor, "resident.demo_images", "import", f"seed-{start}",
                         {"residents": [None, len(people)]},
                         note="synthetic demo photos and signatures")
            drawn += len(people)
    return drawn


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
