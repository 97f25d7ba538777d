"""Bulk import of residents from the SIAK-like CSV layout (`registry.csv_layout`).

One pass, in one write transaction. Row rules run on chunks of rows in a helper process
(large files) while this process writes the previous chunk, so checking and writing overlap;
the rules that span rows (a NIK twice in the file, one active KEPALA KELUARGA per KK) are
judged here. Every bad row is reported (line, column, reason). By default a single bad row
rolls the whole transaction back (all-or-nothing); with ``skip_invalid`` the good rows are
committed, the rows of a family that breaks the family rules are removed before commit, and
the bad rows are written to a rejects file.
"""

from __future__ import annotations

import csv
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, regions
from . import nik as nik_rules
from .audit import Actor
from .csv_layout import FIELD_COLUMN, HEADER, REQUIRED, fields_of
from .db import Database
from .dialect import bulk_insert, reserve_ids
from .errors import ConflictError, RegistryError
from .models import Family, Resident, ResidentNameToken
from .names import keys
from .validation import check_record, clean_fields
from .values import AKTIF, KEPALA_KELUARGA

CHUNK = 2_000
IMPORT_CACHE_KIB = 262_144
PARALLEL_FROM_BYTES = 2_000_000  # below this a helper process costs more than it saves
Progress = Callable[[int], None]
_ADDRESS = ("alamat", "rt", "rw", "desa_code")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.reason}"


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    families_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def rejected_lines(self) -> set[int]:
        return {e.line for e in self.errors}


class ImportFileError(RegistryError):
    """The file as a whole cannot be read (missing columns, not CSV)."""


@dataclass
class _Checked:
    """One row after the row rules: its record when good, and what family rules need."""

    line: int
    nik: str
    kk: str
    record: dict[str, Any] | None
    errors: list[tuple[str, str]]
    warnings: list[str]
    head: bool


def _reader(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise ImportFileError(f"missing columns: {', '.join(missing)}")
            for row in reader:
                yield reader.line_num, row
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"the file is not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise ImportFileError(f"the file is not valid CSV: {exc}") from None


def _chunks(path: Path) -> Iterator[list[tuple[int, dict[str, str]]]]:
    chunk: list[tuple[int, dict[str, str]]] = []
    for item in _reader(path):
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_index: regions.RegionIndex | None = None


def _init_worker(rows: list[tuple[str, str, int]]) -> None:
    global _index
    _index = regions.RegionIndex(rows)


def _check_chunk(chunk: list[tuple[int, dict[str, str]]],
                 index: regions.RegionIndex | None = None) -> list[_Checked]:
    """The rules of single rows; runs in a helper process for large files."""
    index = index or _index
    assert index is not None
    return [_check_row(index, line, raw) for line, raw in chunk]


def _check_row(index: regions.RegionIndex, line: int, raw: dict[str, str]) -> _Checked:
    data = fields_of(raw)
    nik, kk = data.pop("nik"), data.pop("kk")
    record, field_errors = clean_fields(data, index)
    if not field_errors:
        field_errors.update(check_record(record))
    errors = [(FIELD_COLUMN.get(f, f), r) for f, reasons in field_errors.items() for r in reasons]
    sex = record.get("jenis_kelamin")
    check = nik_rules.validate(
        nik, region_exists=index.exists, birth_date=record.get("tanggal_lahir"),
        female=None if sex is None else sex == "PEREMPUAN",
    )
    errors += [("NIK", r) for r in check.errors]
    if len(kk) != 16 or not kk.isdigit():
        errors.append(("NO_KK", "KK number must be 16 digits"))
    head = (record.get("hubungan_keluarga") == KEPALA_KELUARGA
            and (record.get("status") or AKTIF) == AKTIF)
    return _Checked(line, nik, kk, None if errors else record, errors, check.warnings, head)


@dataclass
class _Family:
    lines: list[int] = field(default_factory=list)
    niks: list[str] = field(default_factory=list)
    heads: int = 0
    address: dict[str, Any] | None = None  # the head's, else the first good row's


class _Import:
    """The rules across rows, and the writes, in one transaction."""

    def __init__(self, session: Session, report: ImportReport, skip_invalid: bool) -> None:
        self.session, self.report, self.skip_invalid = session, report, skip_invalid
        self.niks: set[int] = set()
        self.families: dict[str, _Family] = {}
        self.family_ids: dict[str, int] = {}
        self.created: dict[str, dict[str, Any]] = {}  # kk -> address it was created with
        self.heads_before: dict[str, int] = {}  # kk -> active heads registered before

    def add(self, checked: list[_Checked]) -> None:
        report, good = self.report, []
        for row in checked:
            report.rows += 1
            report.errors += [RowError(row.line, c, r) for c, r in row.errors]
            report.warnings += [RowError(row.line, "NIK", w) for w in row.warnings]
            if row.record is not None:
                if int(row.nik) in self.niks:
                    report.errors.append(RowError(row.line, "NIK", "appears twice in this file"))
                    row.record = None
                else:
                    self.niks.add(int(row.nik))
                    good.append(row)
            if not any(c == "NO_KK" for c, _ in row.errors):
                self._family_facts(row)
        self._write(good)

    def _family_facts(self, row: _Checked) -> None:
        family = self.families.setdefault(row.kk, _Family())
        family.lines.append(row.line)
        family.niks.append(row.nik)
        family.heads += row.head
        if row.record is not None and (family.address is None or row.head):
            family.address = {k: row.record[k] for k in _ADDRESS}

    def _write(self, rows: list[_Checked]) -> None:
        session = self.session
        by_nik = {r.nik: r for r in rows}
        for nik in session.scalars(select(Resident.nik).where(Resident.nik.in_(by_nik))):
            line = by_nik.pop(nik).line
            self.report.errors.append(RowError(line, "NIK", "is already registered"))
        if self.report.errors and not self.skip_invalid:
            return  # everything will be rolled back; keep checking only
        rows = list(by_nik.values())
        self._families(rows)
        ids = reserve_ids(session, Resident.__table__, len(rows))
        residents, token_rows = [], []
        for rid, row in zip(ids, rows, strict=True):
            record = row.record
            assert record is not None
            record["id"], record["nik"] = rid, row.nik
            record["family_id"] = self.family_ids[row.kk]
            record["status"] = record.get("status") or AKTIF
            record["name_key"], phrases = keys(record["nama"])
            residents.append(record)
            token_rows += [{"phrase": p, "resident_id": rid, "desa_code": record["desa_code"]}
                           for p in phrases]
        bulk_insert(session, Resident.__table__, residents)
        bulk_insert(session, ResidentNameToken.__table__, token_rows)
        self.report.imported += len(rows)

    def _families(self, rows: list[_Checked]) -> None:
        new = {r.kk: r.record for r in rows if r.kk not in self.family_ids}
        if not new:
            return
        found = {kk: fid for kk, fid in self.session.execute(
            select(Family.kk, Family.id).where(Family.kk.in_(new)))}
        self.family_ids.update(found)
        if found:
            heads = self.session.scalars(
                select(Family.kk).join(Resident, Resident.family_id == Family.id).where(
                    Family.kk.in_(found), Resident.status == AKTIF,
                    Resident.hubungan_keluarga == KEPALA_KELUARGA))
            for kk in heads:
                self.heads_before[kk] = self.heads_before.get(kk, 0) + 1
        missing = sorted(new.keys() - found.keys())
        ids = reserve_ids(self.session, Family.__table__, len(missing))
        rows_out = []
        for fid, kk in zip(ids, missing, strict=True):
            address = {k: new[kk][k] for k in _ADDRESS}
            rows_out.append({"id": fid, "kk": kk, **address})
            self.created[kk] = address
            self.family_ids[kk] = fid
        bulk_insert(self.session, Family.__table__, rows_out)

    def family_rules(self) -> None:
        """One active KEPALA KELUARGA per KK, counting those registered before the import."""
        bad_niks: list[str] = []
        bad_families: list[str] = []
        for kk, family in self.families.items():
            heads = family.heads + self.heads_before.get(kk, 0)
            is_new = kk in self.created or kk not in self.family_ids
            if is_new and heads == 0:
                reason = f"family {kk} has no active KEPALA KELUARGA in the file"
            elif heads > 1:
                reason = f"family {kk} would have {heads} active KEPALA KELUARGA"
            else:
                if kk in self.created and family.address != self.created[kk]:
                    self.session.execute(
                        update(Family).where(Family.kk == kk).values(**(family.address or {})))
                continue
            self.report.errors += [RowError(line, "STAT_HBKEL", reason) for line in family.lines]
            bad_niks += family.niks
            bad_families.append(kk)
        if self.skip_invalid and bad_niks:
            self._remove(bad_niks, [kk for kk in bad_families if kk in self.created])

    def _remove(self, niks: list[str], families: list[str]) -> None:
        session = self.session
        for start in range(0, len(niks), CHUNK):
            chunk = niks[start:start + CHUNK]
            ids = select(Resident.id).where(Resident.nik.in_(chunk))
            session.execute(delete(ResidentNameToken).where(ResidentNameToken.resident_id.in_(ids)))
            removed = session.execute(delete(Resident).where(Resident.nik.in_(chunk)))
            self.report.imported -= removed.rowcount
        if families:
            session.execute(delete(Family).where(Family.kk.in_(families)))
            for kk in families:
                self.created.pop(kk)


class _Rollback(Exception):
    pass


def _checked_chunks(path: Path, index: regions.RegionIndex) -> Iterator[list[_Checked]]:
    """Row rules applied chunk by chunk; in a helper process when the file is large."""
    if path.stat().st_size < PARALLEL_FROM_BYTES or (os.cpu_count() or 1) < 2:
        for chunk in _chunks(path):
            yield _check_chunk(chunk, index)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_init_worker,
                             initargs=(index.rows(),)) as pool:
        yield from _ahead(pool, _chunks(path))


def _ahead(pool: ProcessPoolExecutor, chunks: Iterable[list[Any]]) -> Iterator[list[_Checked]]:
    """Keeps two chunks in the helper while the caller writes the one before."""
    pending = []
    for chunk in chunks:
        pending.append(pool.submit(_check_chunk, chunk))
        if len(pending) > 2:
            yield pending.pop(0).result()
    for future in pending:
        yield future.result()


def import_csv(
    db: Database,
    path: Path,
    actor: Actor,
    *,
    skip_invalid: bool = False,
    rejects: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import residents from ``path``; see the module docstring for the all-or-nothing rule."""
    report = ImportReport()
    try:
        with db.write() as session, _large_cache(db, session):
            run = _Import(session, report, skip_invalid)
            for checked in _checked_chunks(path, regions.index(session)):
                run.add(checked)
                if progress:
                    progress(len(checked))
            run.family_rules()
            if report.errors and not skip_invalid:
                raise _Rollback
            report.families_created = len(run.created)
            audit.record(
                session, actor, "resident.import", "import", _sha256(path)[:40],
                {"imported": [None, report.imported],
                 "families_created": [None, report.families_created],
                 "rejected": [None, len(report.rejected_lines)]},
                note=f"{path.name}: {report.imported} residents imported",
            )
    except _Rollback:
        report.imported = report.families_created = 0
    except IntegrityError as exc:
        raise ConflictError(
            "a NIK or KK in the file was registered by someone else during the import; "
            "nothing was imported, run the import again"
        ) from exc
    report.errors.sort(key=lambda e: e.line)
    if rejects is not None and report.errors and skip_invalid:
        _write_rejects(path, rejects, report)
    return report


@contextmanager
def _large_cache(db: Database, session: Session) -> Iterator[None]:
    """A million rows' indexes outgrow SQLite's usual page cache; borrow more while importing."""
    if not db.is_sqlite:
        yield
        return
    session.execute(text(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size = -{db.cache_kib}"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_rejects(path: Path, rejects: Path, report: ImportReport) -> None:
    """The rejected rows as they were, with their line number and every reason."""
    reasons: dict[int, list[str]] = {}
    for e in report.errors:
        reasons.setdefault(e.line, []).append(f"{e.column}: {e.reason}")
    with rejects.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["LINE", *HEADER, "ERRORS"])
        for line, raw in _reader(path):
            if line in reasons:
                writer.writerow([line, *(raw.get(c, "") for c in HEADER), " | ".join(reasons[line])])
