"""Bulk import of residents from the SIAK-like CSV layout (`registry.csv_layout`).

One pass, in one write transaction. For large files a helper process reads the file and
applies the row rules, handing over driver-ready tuples chunk by chunk, while this process
writes the chunk before: on two cores, reading and checking cost the writer nothing. The rules
that span rows (a NIK twice in the file, one active KEPALA KELUARGA per KK) are judged here.
Every bad row is reported (line, column, reason). By default a single bad row rolls the whole
transaction back (all-or-nothing); with ``skip_invalid`` the good rows are committed, the rows
of a family that breaks the family rules are removed before commit, and the bad rows are
written to a rejects file. A first load into an empty SQLite registry skips the per-chunk
lookups, and builds the secondary indexes and tests the CHECK constraints once at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from queue import Empty
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Dialect,
    and_,
    delete,
    literal,
    not_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, regions
from . import nik as nik_rules
from .audit import Actor
from .csv_layout import FIELD_COLUMN, HEADER, REQUIRED, desa_code, fields_of
from .db import Database
from .dialect import (
    among,
    bind_processors,
    defaults,
    dialect_named,
    gc_paused,
    indexes_deferred,
    insert_rows,
    reserve_ids,
    settle_bulk_load,
)
from .errors import ConflictError, RegistryError
from .models import Family, Resident, ResidentNameToken
from .names import keys
from .validation import (
    RESIDENT_FIELDS,
    birth_date,
    check_record,
    clean_fields,
    cleaner,
    parse_date,
)
from .values import AKTIF, KEPALA_KELUARGA

CHUNK = 2_000
AHEAD = 4  # checked chunks the helper may hold ready for the writer
IMPORT_CACHE_KIB = 262_144
PARALLEL_FROM_BYTES = 2_000_000  # below this a helper process costs more than it saves
MEMO_SIZE = 50_000  # distinct values remembered per column
SETTLE_FROM_ROWS = 10_000  # an import this large changes what the query planner should know
Progress = Callable[[int], None]
_VALUES = ("nik", *RESIDENT_FIELDS, "name_key")  # what the rules hand over, bind-processed
_DEFAULTED = ("created_at", "updated_at", "version")
_ADDRESS = ("alamat", "rt", "rw", "desa_code")
_address = itemgetter(*(_VALUES.index(k) for k in _ADDRESS))  # bind values -> family address
_DESA = _VALUES.index("desa_code")
_RESIDENT_COLUMNS = (*_VALUES, *_DEFAULTED, "id", "family_id")
_TOKEN_COLUMNS = ("phrase", "resident_id", "desa_code")
_FAMILY_COLUMNS = ("id", "kk", *_ADDRESS, "created_at")


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


# One row after the row rules: (line, nik, kk, values, phrases, errors, warnings, head), with
# the bind values in `_VALUES` order and the name phrases when the row is good, else None and
# (). A plain tuple: a million of them cross from the helper process, and tuples unpickle in C.
_Checked = tuple[int, str, str, "tuple[Any, ...] | None", "Sequence[str]", list[tuple[str, str]],
                 list[tuple[str, str]], bool]


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The header, then each row with its line, as lists (a dict per row costs the reading
    as much again); blank lines are skipped, as `csv.DictReader` does."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise ImportFileError(f"missing columns: {', '.join(missing)}")
            yield reader.line_num, header
            for row in reader:
                if row:
                    yield reader.line_num, row
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"the file is not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise ImportFileError(f"the file is not valid CSV: {exc}") from None


def _as_dict(header: list[str], row: list[str]) -> dict[str, Any]:
    """A row as `csv.DictReader` gives it: missing fields None, extra ones under None."""
    record: dict[Any, Any] = dict(zip(header, row, strict=False))
    if len(row) > len(header):
        record[None] = row[len(header):]
    for column in header[len(row):]:
        record[column] = None
    return record


def _reader(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    records = _records(path)
    _, header = next(records)
    for line, row in records:
        yield line, _as_dict(header, row)


def _checked(path: Path, index: regions.RegionIndex, dialect: Dialect) -> Iterator[list[_Checked]]:
    """The file's rows after the row rules, `CHUNK` at a time."""
    records = _records(path)
    _, header = next(records)
    rules = _Rules(index, dialect, header)
    chunk: list[tuple[int, list[str]]] = []
    for item in records:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield rules(chunk)
            chunk = []
    if chunk:
        yield rules(chunk)


class _Memo(dict):
    """A column's cleaned values by raw text: most columns hold a few hundred distinct values
    (places, codes, RT numbers, desa), so each is cleaned once, not once a row. Only good
    values are kept (a bad one raises, and the full rules then say why), at most `MEMO_SIZE`."""

    def __init__(self, clean: Callable[[Any], Any]) -> None:
        super().__init__()
        self.clean = clean

    def __missing__(self, raw: Any) -> Any:
        value = self.clean(raw)
        if len(self) < MEMO_SIZE:
            self[raw] = value
        return value


def _optional(clean: Callable[[str], Any], empty: Any) -> Callable[[str], Any]:
    return lambda text: clean(text) if text else empty


class _Rules:
    """The rules of single rows, and the bind values of the good ones.

    Runs in the helper process for large files, so the name keys and the driver-ready tuples
    (made with the same bind processors as the Core path) cost the writing process nothing.
    """

    def __init__(self, index: regions.RegionIndex, dialect: Dialect, header: list[str]) -> None:
        self.index, self.header, self.width = index, header, len(header)
        processors = bind_processors(dialect, Resident.__table__, _VALUES)
        self.born_processor = processors[_BORN]
        self.processors = [(i, p) for i, p in enumerate(processors)
                           if p is not None and i != _BORN]
        at = {c: i for i, c in enumerate(header)}
        self.padded = any(c not in at for c in _FAST_COLUMNS)  # an optional column left out
        self.take = itemgetter(*(at.get(c, len(header)) for c in _FAST_COLUMNS))
        self.memos = tuple(_Memo(lambda raw, clean=_FAST_CLEANERS[f]: clean(raw.strip()))
                           for f in _MEMO_FIELDS)
        self.desas = _Memo(self._desa)
        self.regions = _Memo(self._nik_region)
        self.births = _Memo(self._born)
        self.kk_dates = _Memo(self._kk_date)
        self.today = dt.date.today()  # one day for the whole file: a birth date's rules need it

    def __call__(self, chunk: list[tuple[int, list[str]]]) -> list[_Checked]:
        out = []
        for line, row in chunk:
            good = self.fast(row)
            out.append((line, *good) if good is not None
                       else self.row(line, _as_dict(self.header, row)))
        return out

    def fast(self, row: list[str]) -> _FastRow | None:
        """A good row's result, the same as `row` gives, without the generic machinery that
        explains what is wrong; None as soon as anything is off, and `row` then says what."""
        if len(row) != self.width:
            return None
        (nik, kk, nama, lahir, itap, sex, negara, hubungan, status, tempat, darah, agama, kawin,
         kerja, alamat, rt, rw, *desa) = self.take([*row, ""] if self.padded else row)
        nik, kk = nik.strip(), kk.strip()
        if not (len(nik) == 16 and nik.isascii() and nik.isdigit() and nik[12:] != "0000"
                and len(kk) == 16 and kk.isascii() and kk.isdigit() and kk[12:] != "0000"):
            return None
        m_sex, m_negara, m_hubungan, m_status, m_tempat, m_darah, m_agama, m_kawin, m_kerja, \
            m_alamat, m_rt, m_rw = self.memos
        try:
            self.regions[nik[:6]]  # raises for a region that does not exist
            self.regions[kk[:6]]
            self.kk_dates[kk[6:12]]  # raises for a date part that is no date
            desa = self.desas[tuple(desa)]
            born, male, female = self.births[lahir]
            ends = parse_date(itap) if itap.strip() else None
            sex, negara, hubungan, status = (m_sex[sex], m_negara[negara], m_hubungan[hubungan],
                                             m_status[status])
            tempat, darah, agama, kawin, kerja = (m_tempat[tempat], m_darah[darah],
                                                  m_agama[agama], m_kawin[kawin], m_kerja[kerja])
            alamat, rt, rw = m_alamat[alamat], m_rt[rt], m_rw[rw]
            nama = _FAST_CLEANERS["nama"](nama)
        except (ValueError, TypeError):
            return None
        if (negara == "WNA") != (ends is not None) or nik[6:12] != (
                female if sex == "PEREMPUAN" else male):
            return None
        name_key, phrases = keys(nama)
        values = [nik, nama, tempat, born, sex, darah, agama, kawin, kerja, negara, ends, alamat,
                  rt, rw, desa, hubungan, status, name_key]
        for i, processor in self.processors:
            if values[i] is not None:
                values[i] = processor(values[i])
        head = hubungan == KEPALA_KELUARGA and status == AKTIF
        return nik, kk, tuple(values), phrases, (), (), head

    def _born(self, text: str) -> tuple[Any, str, str]:
        """The bind value of a birth date and the NIK's date part for a man and a woman."""
        born = birth_date(text.strip(), self.today)
        value = born if self.born_processor is None else self.born_processor(born)
        return value, nik_rules.date_part(born, False), nik_rules.date_part(born, True)

    def _nik_region(self, prefix: str) -> bool:
        exists = self.index.exists
        if not (exists(prefix[:2]) and exists(f"{prefix[:2]}.{prefix[2:4]}")
                and exists(f"{prefix[:2]}.{prefix[2:4]}.{prefix[4:6]}")):
            raise ValueError("no such region")
        return True

    @staticmethod
    def _kk_date(part: str) -> bool:
        if not nik_rules.kk_date_plausible(part):
            raise ValueError("not a date")
        return True

    def _desa(self, parts: tuple[str, str, str, str]) -> str:
        code = desa_code(dict(zip(_DESA_COLUMNS, parts, strict=True)))
        if not self.index.is_desa(code):
            raise ValueError("no such desa")
        return code

    def row(self, line: int, raw: dict[str, str]) -> _Checked:
        """Every rule on one row, with every reason when it is bad."""
        index = self.index
        data = fields_of(raw)
        nik, kk = data.pop("nik"), data.pop("kk")
        record, field_errors = clean_fields(data, index, today=self.today)
        if not field_errors:
            field_errors.update(check_record(record))
        errors = [(FIELD_COLUMN.get(f, f), r) for f, reasons in field_errors.items()
                  for r in reasons]
        sex = record.get("jenis_kelamin")
        check = nik_rules.validate(
            nik, region_exists=index.exists, birth_date=record.get("tanggal_lahir"),
            female=None if sex is None else sex == "PEREMPUAN",
        )
        kk_check = nik_rules.validate_kk(kk, region_exists=index.exists)
        errors += [("NIK", r) for r in check.errors]
        errors += [("NO_KK", r) for r in kk_check.errors]
        warnings = [("NIK", w) for w in check.warnings] + [("NO_KK", w) for w in kk_check.warnings]
        head = (record.get("hubungan_keluarga") == KEPALA_KELUARGA
                and (record.get("status") or AKTIF) == AKTIF)
        if errors:
            return line, nik, kk, None, (), errors, warnings, head
        return line, nik, kk, *self.values(nik, record), errors, warnings, head

    def values(self, nik: str, record: dict[str, Any]) -> tuple[tuple[Any, ...], list[str]]:
        """The row in `_VALUES` order, bind-processed, and its name phrases."""
        record["status"] = record.get("status") or AKTIF
        name_key, phrases = keys(record["nama"])
        values = [nik, *(record[f] for f in RESIDENT_FIELDS), name_key]
        if self.born_processor is not None:
            values[_BORN] = self.born_processor(values[_BORN])
        for i, processor in self.processors:
            if values[i] is not None:
                values[i] = processor(values[i])
        return tuple(values), phrases


def _produce(path: Path, index_rows: list[tuple[str, str, int]], dialect: tuple[str, str],
             queue: Any) -> None:
    """The helper process: reads and checks the whole file, handing chunks to ``queue``."""
    gc.disable()  # see `gc_paused`; this process ends with the file
    try:
        for chunk in _checked(path, regions.RegionIndex(index_rows), dialect_named(*dialect)):
            queue.put(chunk)
    except ImportFileError as exc:
        queue.put(exc)
    except Exception:  # anything else reaches the caller, as text (it may not pickle)
        queue.put(RuntimeError(f"import helper failed:\n{traceback.format_exc()}"))
    queue.put(None)


_FastRow = tuple[str, str, tuple[Any, ...], list[str], tuple[()], tuple[()], bool]
# The fields `_Rules.fast` remembers the cleaned values of, and the columns it reads, in the
# order it unpacks them: five read as they are, then those fields', then the desa code's parts.
_MEMO_FIELDS = ("jenis_kelamin", "kewarganegaraan", "hubungan_keluarga", "status",
                "tempat_lahir", "golongan_darah", "agama", "status_perkawinan", "pekerjaan",
                "alamat", "rt", "rw")
_DESA_COLUMNS = ("NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")
_FAST_COLUMNS = ("NIK", "NO_KK", "NAMA_LGKP", "TGL_LHR", "TGL_AKH_ITAP",
                 *(FIELD_COLUMN[f] for f in _MEMO_FIELDS), *_DESA_COLUMNS)
_FAST_CLEANERS = {f: cleaner(f) for f in RESIDENT_FIELDS if f not in ("tanggal_lahir", "desa_code")}
_FAST_CLEANERS.update(hubungan_keluarga=_optional(_FAST_CLEANERS["hubungan_keluarga"], None),
                      status=_optional(_FAST_CLEANERS["status"], AKTIF))
_BORN = _VALUES.index("tanggal_lahir")
_Good = tuple[int, str, str, tuple[Any, ...], Sequence[str]]  # line, nik, kk, values, phrases


@dataclass(slots=True)
class _Family:
    """What the family rules need of one KK's good rows (rows already rejected for their own
    reasons take no part: an invalid row saying KEPALA KELUARGA is no head)."""

    lines: list[int] = field(default_factory=list)
    niks: list[str] = field(default_factory=list)
    heads: list[tuple[int, str]] = field(default_factory=list)  # (line, nik) of active heads
    address: tuple[Any, ...] | None = None  # the head's, else the first good row's


class _Import:
    """The rules across rows, and the writes, in one transaction."""

    def __init__(self, session: Session, report: ImportReport, skip_invalid: bool) -> None:
        self.session, self.report, self.skip_invalid = session, report, skip_invalid
        self.niks: set[int] = set()
        self.families: dict[str, _Family] = {}
        self.family_ids: dict[str, int] = {}
        self.created: dict[str, tuple[Any, ...]] = {}  # kk -> address it was created with
        self.heads_before: dict[str, int] = {}  # kk -> active heads registered before
        self.head_niks: set[str] = set()  # active heads of the file (not on a first load)
        self.rejected_heads: dict[str, list[int]] = {}  # kk -> lines of heads rejected as rows
        self.looked_up: set[str] = set()  # KKs asked about while nothing is written
        self.headed: set[str] = set()  # KKs whose head this import wrote (not on a first load)
        self.first_load = _first_load(session)
        self.is_sqlite = session.connection().dialect.name == "sqlite"
        self.next_id: dict[str, int] = {}

    def add(self, checked: list[_Checked]) -> None:
        report, niks, families, good = self.report, self.niks, self.families, []
        report.rows += len(checked)
        for line, nik, kk, values, phrases, errors, warnings, head in checked:
            if errors or warnings:
                report.errors += [RowError(line, c, r) for c, r in errors]
                report.warnings += [RowError(line, c, w) for c, w in warnings]
                if values is None:
                    if head:
                        self.rejected_heads.setdefault(kk, []).append(line)
                    continue
            number = int(nik)
            if number in niks:
                report.errors.append(RowError(line, "NIK", "appears twice in this file"))
                if head:
                    self.rejected_heads.setdefault(kk, []).append(line)
                continue
            niks.add(number)
            family = families.get(kk)  # the facts the family rules need, inline: once a row
            if family is None:
                family = families[kk] = _Family()
            if head:
                if not self.first_load:
                    self.head_niks.add(nik)  # `_write` holds back the heads it must not write
                    good.append((line, nik, kk, values, phrases))
                elif not family.heads:
                    good.append((line, nik, kk, values, phrases))
                # else a second head of a first load: held back, as the one-head index would
                # refuse it; the family rules reject the family
                family.heads.append((line, nik))
                family.address = _address(values)
            else:
                good.append((line, nik, kk, values, phrases))
                if family.address is None:
                    family.address = _address(values)
            family.lines.append(line)
            family.niks.append(nik)
        self._write(good)

    def _ids(self, table: Any, count: int) -> range | list[int]:
        """Fresh keys; on SQLite the write transaction is exclusive, so after the first ask
        the next keys are known without asking again."""
        if not self.is_sqlite or not count:
            return reserve_ids(self.session, table, count)
        start = self.next_id.get(table.name) or reserve_ids(self.session, table, 1)[0]
        self.next_id[table.name] = start + count
        return range(start, start + count)

    def _write(self, rows: list[_Good]) -> None:
        session = self.session
        if not self.first_load:
            rows = self._not_registered(rows)
        if self.report.errors and not self.skip_invalid:
            # Everything will be rolled back: keep checking only, but the family rules still
            # need to know which KKs are registered (a member joining one needs no head here).
            self._look_up_families(rows)
            return
        self._families(rows)
        if self.head_niks:
            rows = self._held_back(rows)
        ids = self._ids(Resident.__table__, len(rows))
        tail = defaults(session.connection().dialect, Resident.__table__, _DEFAULTED)
        family_ids, numbered = self.family_ids, list(zip(ids, rows, strict=True))
        insert_rows(session, Resident.__table__, _RESIDENT_COLUMNS, [
            values + tail + (rid, family_ids[kk]) for rid, (_, _, kk, values, _) in numbered])
        insert_rows(session, ResidentNameToken.__table__, _TOKEN_COLUMNS, [
            (phrase, rid, values[_DESA]) for rid, (_, _, _, values, phrases) in numbered
            for phrase in phrases])
        self.report.imported += len(rows)

    def _not_registered(self, rows: list[_Good]) -> list[_Good]:
        """The rows whose NIK is not registered yet; the others are reported."""
        by_nik = {r[1]: r for r in rows}
        for nik in self.session.scalars(select(Resident.nik).where(among(self.session, Resident.nik, list(by_nik)))):
            line, _, kk, _, _ = by_nik.pop(nik)
            self.report.errors.append(RowError(line, "NIK", "is already registered"))
            self._forget(kk, line, nik)
        return list(by_nik.values())

    def _held_back(self, rows: list[_Good]) -> list[_Good]:
        """The rows without the heads the one-head index would refuse: a head for a KK whose
        registered head is active, or a second head of the file; the family rules report them.
        They are held back only after `_not_registered` checked them, so that removing a
        rejected family's rows by NIK can only remove rows this import wrote."""
        kept = []
        for row in rows:
            nik, kk = row[1], row[2]
            if nik in self.head_niks:
                if self.heads_before.get(kk) or kk in self.headed:
                    continue
                self.headed.add(kk)
            kept.append(row)
        return kept

    def _forget(self, kk: str, line: int, nik: str) -> None:
        """Take a rejected row out of its family's facts: it is no head or member of it, and
        removing the family's rows must never remove the registered resident of that NIK."""
        family = self.families[kk]
        family.lines.remove(line)
        family.niks.remove(nik)
        if (line, nik) in family.heads:
            family.heads.remove((line, nik))
            self.head_niks.discard(nik)
            self.rejected_heads.setdefault(kk, []).append(line)

    def _look_up_families(self, rows: list[_Good]) -> None:
        """Which KKs of ``rows`` are registered, when nothing is written (see `_write`)."""
        if self.first_load:
            return
        kks = list({kk for _, _, kk, _, _ in rows} - self.family_ids.keys() - self.looked_up)
        if kks:
            self.looked_up.update(kks)
            self.family_ids.update(self._registered_families(kks))

    def _families(self, rows: list[_Good]) -> None:
        new = {kk: values for _, _, kk, values, _ in rows if kk not in self.family_ids}
        if not new:
            return
        found = {} if self.first_load else self._registered_families(list(new))
        self.family_ids.update(found)
        missing = sorted(new.keys() - found.keys())
        ids = self._ids(Family.__table__, len(missing))
        created = defaults(self.session.connection().dialect, Family.__table__, ("created_at",))
        rows_out = []
        for fid, kk in zip(ids, missing, strict=True):
            address = _address(new[kk])
            rows_out.append((fid, kk, *address, *created))
            self.created[kk] = address
            self.family_ids[kk] = fid
        insert_rows(self.session, Family.__table__, _FAMILY_COLUMNS, rows_out)

    def _registered_families(self, kks: list[str]) -> dict[str, int]:
        """Families of the file registered before, and their active heads."""
        found = {kk: fid for kk, fid in self.session.execute(
            select(Family.kk, Family.id).where(among(self.session, Family.kk, kks)))}
        if found:
            heads = self.session.scalars(
                select(Family.kk).join(Resident, Resident.family_id == Family.id).where(
                    among(self.session, Family.kk, list(found)), Resident.status == AKTIF,
                    Resident.hubungan_keluarga == KEPALA_KELUARGA))
            for kk in heads:
                self.heads_before[kk] = self.heads_before.get(kk, 0) + 1
        return found

    def family_rules(self) -> None:
        """One active KEPALA KELUARGA per KK, counting those registered before the import.

        A reason goes to the rows that cause it: the head rows of a KK with too many heads,
        every row of a new KK without one. With ``skip_invalid`` the other rows of a rejected
        family are rejected too, each saying why; a head row for a KK whose registered head is
        still active is rejected alone (its members join the registered family)."""
        bad_niks: list[str] = []
        bad_families: list[str] = []
        for kk, family in self.families.items():
            heads, before = len(family.heads), self.heads_before.get(kk, 0)
            is_new = kk in self.created or kk not in self.family_ids
            if heads and before:
                reason = f"family {kk} would have {heads + before} active KEPALA KELUARGA"
                self.report.errors += [RowError(line, "STAT_HBKEL", reason)
                                       for line, _ in family.heads]  # never written
                continue
            if is_new and not heads:
                reason = f"family {kk} has no active KEPALA KELUARGA in the file"
                if kk in self.rejected_heads:
                    lines = ", ".join(map(str, self.rejected_heads[kk]))
                    reason += f" (its KEPALA KELUARGA on line {lines} is rejected)"
                self.report.errors += [RowError(line, "STAT_HBKEL", reason)
                                       for line in family.lines]
            elif heads > 1:
                reason = f"family {kk} would have {heads} active KEPALA KELUARGA"
                head_lines = {line for line, _ in family.heads}
                self.report.errors += [RowError(line, "STAT_HBKEL", reason)
                                       for line in sorted(head_lines)]
                if self.skip_invalid:
                    lines = ", ".join(map(str, sorted(head_lines)))
                    member = f"not imported: family {kk} has {heads} active KEPALA KELUARGA " \
                             f"(lines {lines})"
                    self.report.errors += [RowError(line, "STAT_HBKEL", member)
                                           for line in family.lines if line not in head_lines]
            else:
                if kk in self.created and family.address != self.created[kk]:
                    self.session.execute(update(Family).where(Family.kk == kk).values(
                        **dict(zip(_ADDRESS, family.address or (), strict=False))))
                continue
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


_BULK_TABLES = ("residents", "families", "resident_name_tokens")
_BULK_MODELS = (Resident, Family, ResidentNameToken)


@contextmanager
def _checks_deferred(session: Session, first_load: bool) -> Iterator[None]:
    """On a first load, test the tables' CHECK constraints once over all rows at the end.

    SQLite evaluates a CHECK's ``IN (…)`` list by building a small table for every inserted
    row, a third of the cost of inserting a resident. The row rules already hold every value
    to these constraints; the set-based test afterwards keeps the database's own guarantee,
    and a failure rolls the whole import back. The pragma expires prepared statements, so
    nothing prepared during the import runs unchecked later.
    """
    if not (first_load and session.get_bind().dialect.name == "sqlite"):
        yield
        return
    session.execute(text("PRAGMA ignore_check_constraints = ON"))
    try:
        yield
    finally:
        session.execute(text("PRAGMA ignore_check_constraints = OFF"))
    for model in _BULK_MODELS:
        checks = [c.sqltext for c in model.__table__.constraints if isinstance(c, CheckConstraint)]
        if checks and session.execute(
                select(literal(1)).select_from(model).where(not_(and_(*checks))).limit(1)).first():
            raise RegistryError(f"an imported row breaks a CHECK constraint of "
                                f"{model.__tablename__}; nothing was imported")


def _first_load(session: Session) -> bool:
    """No resident or family yet, and none can arrive meanwhile: then nothing in the file can
    be registered already, so the per-chunk lookups are skipped and the indexes are built once
    at the end. SQLite's write transaction is exclusive already; on PostgreSQL the import takes
    the tables for itself (dropping their indexes would take them anyway), and registering at
    a counter waits for it."""
    if not _empty(session):
        return False
    if session.get_bind().dialect.name != "postgresql":
        return True
    session.execute(text(f"LOCK TABLE {', '.join(_BULK_TABLES)} IN ACCESS EXCLUSIVE MODE"))
    return _empty(session)


def _empty(session: Session) -> bool:
    return not any(session.execute(text(f"SELECT 1 FROM {t} LIMIT 1")).first()
                   for t in ("residents", "families"))


class _Rollback(Exception):
    pass


def _checked_chunks(path: Path, session: Session) -> Iterator[list[_Checked]]:
    """Row rules applied chunk by chunk; in a helper process when the file is large."""
    index, dialect = regions.index(session), session.connection().dialect
    if path.stat().st_size < PARALLEL_FROM_BYTES or (os.cpu_count() or 1) < 2:
        yield from _checked(path, index, dialect)
        return
    context = multiprocessing.get_context("spawn")
    queue = context.Queue(maxsize=AHEAD)
    helper = context.Process(target=_produce, daemon=True, args=(
        path, index.rows(), (dialect.name, dialect.driver), queue))
    helper.start()
    try:
        while (item := _next(queue, helper)) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if helper.is_alive():
            helper.terminate()
        helper.join()


def _next(queue: Any, helper: Any) -> Any:
    """The helper's next chunk; an error if it died without saying why."""
    while True:
        try:
            return queue.get(timeout=1)
        except Empty:
            if not helper.is_alive():
                try:
                    return queue.get(timeout=1)
                except Empty:
                    raise RuntimeError(
                        f"import helper exited with code {helper.exitcode}") from None


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
        with gc_paused(), db.write() as session, _large_cache(db, session):
            run = _Import(session, report, skip_invalid)
            with indexes_deferred(session, _BULK_TABLES) if run.first_load else nullcontext(), \
                    _checks_deferred(session, run.first_load):
                for checked in _checked_chunks(path, session):
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
    if report.imported >= SETTLE_FROM_ROWS:
        settle_bulk_load(db.engine, _BULK_TABLES)
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
