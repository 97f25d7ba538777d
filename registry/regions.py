"""The national region list (Kemendagri 2025, shipped in ``registry/data``) and lookups on it."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import ColumnElement, bindparam, or_, select
from sqlalchemy.orm import Session

from .dialect import insert_for
from .models import DESA, KABUPATEN, KECAMATAN, PROVINSI, Region, RegionDataset
from .names import prefix_upper_bound

DATASET = "wilayah-kemendagri-2025"
_CHUNK = 5_000


def _csv_bytes() -> bytes:
    return resources.files("registry").joinpath("data/wilayah.csv").read_bytes()


def in_region(column, code: str) -> ColumnElement[bool]:
    """``column`` holds the region code ``code`` or a code under it (``33.14`` covers
    ``33.14.10`` and ``33.14.10.2007``); office codes are region codes, so it scopes offices
    too. A prefix match, so it can use the column's index."""
    return or_(column == code, column.startswith(code + "."))


def desa_range(code: str) -> tuple[str, str]:
    """The desa codes within the region ``code`` (any level) as a half-open range, which an
    index on a desa-code column answers."""
    if code.count(".") == 3:
        return code, prefix_upper_bound(code)  # a desa code is a leaf: nothing longer exists
    prefix = code + "."
    return prefix, prefix_upper_bound(prefix)


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _rows(data: bytes) -> Iterator[dict[str, object]]:
    for row in csv.DictReader(data.decode("utf-8").splitlines()):
        code = row["kode"]
        yield {"code": code, "name": row["nama"], "level": int(row["level"]),
               "parent_code": parent_of(code)}


def load(session: Session) -> int:
    """Load or refresh every region code; returns rows written (0 when already current).

    Idempotent: a checksum of the shipped file decides whether anything needs doing, and rows
    are upserted so a newer edition renames regions without touching records that use them.
    """
    data = _csv_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    loaded = session.get(RegionDataset, DATASET)
    if loaded is not None and loaded.checksum == checksum:
        return 0
    rows = list(_rows(data))
    for start in range(0, len(rows), _CHUNK):
        stmt = insert_for(session, Region)
        stmt = stmt.on_conflict_do_update(
            index_elements=[Region.code],
            set_={"name": stmt.excluded.name, "level": stmt.excluded.level,
                  "parent_code": stmt.excluded.parent_code},
        )
        session.execute(stmt, rows[start:start + _CHUNK])
    if loaded is None:
        session.add(RegionDataset(name=DATASET, checksum=checksum, rows=len(rows)))
    else:
        loaded.checksum, loaded.rows = checksum, len(rows)
    session.flush()
    return len(rows)


@dataclass(frozen=True)
class Place:
    """A desa with the names of every level above it, as a card header needs them."""

    desa_code: str
    desa: str
    kecamatan: str
    kabupaten: str  # "Kabupaten Sragen" / "Kota Surakarta"
    provinsi: str


class RegionIndex:
    """All region codes in memory (≈ 92k, a few MB): validating a million imported rows must
    not cost a million queries."""

    def __init__(self, rows: Iterable[tuple[str, str, int]]) -> None:
        self._names: dict[str, str] = {}
        self._levels: dict[str, int] = {}
        for code, name, level in rows:
            self._names[code] = name
            self._levels[code] = level

    @classmethod
    def from_database(cls, session: Session) -> RegionIndex:
        return cls(session.execute(select(Region.code, Region.name, Region.level)))

    def rows(self) -> list[tuple[str, str, int]]:
        """Everything needed to rebuild this index elsewhere (another process)."""
        return [(c, n, self._levels[c]) for c, n in self._names.items()]

    def __len__(self) -> int:
        return len(self._names)

    def exists(self, code: str) -> bool:
        return code in self._names

    def level(self, code: str) -> int | None:
        return self._levels.get(code)

    def name(self, code: str) -> str:
        return self._names[code]

    def is_desa(self, code: str) -> bool:
        return self._levels.get(code) == DESA

    def is_kecamatan(self, code: str) -> bool:
        return self._levels.get(code) == KECAMATAN

    def children(self, code: str) -> list[str]:
        prefix = code + "."
        level = self._levels.get(code, 0) + 1
        return sorted(c for c, lv in self._levels.items() if lv == level and c.startswith(prefix))

    def place(self, desa_code: str) -> Place:
        return _place(desa_code, self._names)


LEVELS = (PROVINSI, KABUPATEN, KECAMATAN, DESA)


_cache: dict[str, tuple[str, RegionIndex]] = {}


# A plain column read, built once: it runs once per card drawn.
_CHECKSUM = select(RegionDataset.__table__.c.checksum).where(
    RegionDataset.__table__.c.name == DATASET)


def index(session: Session) -> RegionIndex:
    """The `RegionIndex` of this database, rebuilt only when another edition was loaded."""
    bind = session.get_bind()
    key = bind.url.render_as_string(hide_password=False)
    checksum = session.scalar(_CHECKSUM) or ""
    cached = _cache.get(key)
    if cached is None or cached[0] != checksum:
        cached = (checksum, RegionIndex.from_database(session))
        _cache[key] = cached
    return cached[1]


def _place_codes(desa_code: str) -> tuple[str, str, str, str]:
    """The desa's code and those of its kecamatan, kabupaten and provinsi."""
    parts = desa_code.split(".")
    return desa_code, ".".join(parts[:3]), ".".join(parts[:2]), parts[0]


def _place(desa_code: str, names: Mapping[str, str]) -> Place:
    desa, kecamatan, kabupaten, provinsi = (names[c] for c in _place_codes(desa_code))
    return Place(desa_code=desa_code, desa=desa, kecamatan=kecamatan, kabupaten=kabupaten,
                 provinsi=provinsi)


_REGION = Region.__table__.c
# Built once: it runs once per card drawn.
_PLACE_NAMES = select(_REGION.code, _REGION.name).where(
    _REGION.code.in_(bindparam("p_codes", expanding=True)))


def place(session: Session, desa_code: str) -> Place:
    """`RegionIndex.place` in one query, without the whole index (about 28 MB in memory): a
    process drawing cards, such as a batch worker, needs a handful of names, not 92k."""
    codes = list(_place_codes(desa_code))
    return _place(desa_code, dict(session.execute(_PLACE_NAMES, {"p_codes": codes}).all()))


class Places:
    """`place` remembered per desa, for a process drawing many cards of a few villages (a
    batch worker: one query per desa instead of one per card). The names are those of the
    region list loaded when it started: a new edition comes with a release (`ktp init`),
    after which workers are restarted."""

    def __init__(self) -> None:
        self._known: dict[str, Place] = {}

    def get(self, session: Session, desa_code: str) -> Place:
        known = self._known.get(desa_code)
        if known is None:
            known = self._known[desa_code] = place(session, desa_code)
        return known
