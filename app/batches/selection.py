"""Turning what a supervisor typed or uploaded into a batch selection."""

from __future__ import annotations

import codecs
import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import regions
from registry.batch_selection import Selection
from registry.errors import InvalidRecordError
from registry.models import KABUPATEN, Office

MAX_NIKS = 200_000
_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def nik_list_text(raw: bytes) -> str:
    """The text of an uploaded NIK list: UTF-8 (a byte-order mark allowed) or UTF-16 with its
    mark, as a spreadsheet's "Unicode text" export is. Anything else (another encoding, a
    workbook instead of CSV) is refused on ``niks``, rather than read into NIKs of junk."""
    encoding = "utf-16" if raw[:2] in _UTF16_MARKS else "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidRecordError({"niks": [
            f"the file is not UTF-8 text ({exc.reason}); save it as CSV UTF-8, or one NIK a "
            "line"]}) from None
    if "\x00" in text:
        raise InvalidRecordError({"niks": [
            "the file holds NUL characters, as a workbook does: save it as CSV UTF-8, or one "
            "NIK a line"]})
    return text


def parse_niks(text: str) -> list[str]:
    """NIKs from a CSV (a ``nik`` column, or the first column) or one NIK a line. Blank lines
    and lines starting with ``#`` are ignored; spaces and dots inside a NIK are dropped."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        return []
    rows = list(csv.reader(io.StringIO("\n".join(lines)), _dialect(lines[0])))
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("nik") if "nik" in header else 0
    if "nik" in header:
        rows = rows[1:]
    niks = [row[column].strip().replace(" ", "").replace(".", "") for row in rows
            if len(row) > column and row[column].strip()]
    if len(niks) > MAX_NIKS:
        raise InvalidRecordError({"niks": [f"at most {MAX_NIKS} NIKs in one batch"]})
    return niks


def _dialect(first_line: str) -> type[csv.Dialect] | csv.Dialect:
    """Comma, semicolon (spreadsheets set to Indonesian) or tab, from the first line."""
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def from_choice(*, kecamatan: str | None = None, desa: str | None = None,
                niks: list[str] | None = None, q: str | None = None, area: str | None = None,
                source: str | None = None) -> Selection:
    """Exactly one way of choosing residents. ``area`` only narrows a search: with another
    choice it is refused rather than ignored (a whole area is ``kecamatan`` or ``desa``)."""
    given = [k for k, v in (("kecamatan", kecamatan), ("desa", desa), ("niks", niks),
                            ("q", q)) if v is not None]
    if len(given) != 1:
        raise InvalidRecordError({"selection": ["choose exactly one of kecamatan, desa, a NIK "
                                                "list or a search"]})
    if area is not None and q is None:
        raise InvalidRecordError({"area": ["an area only narrows a search (q, --search); for "
                                           "every resident of an area choose its kecamatan or "
                                           "desa"]})
    if kecamatan is not None:
        return Selection("kecamatan", code=kecamatan.strip())
    if desa is not None:
        return Selection("desa", code=desa.strip())
    if niks is not None:
        if not niks:
            raise InvalidRecordError({"niks": ["the list has no NIK"]})
        return Selection("niks", niks=tuple(niks), source=source)
    return Selection("search", q=q, code=area)


def default_office(session: Session, selection: Selection) -> str:
    """The office whose blanks a batch uses when none is named: the kabupaten's KPT of the
    selected area (where cards are printed), or the only KPT there is."""
    code = selection.code
    if code and selection.kind in ("kecamatan", "desa", "search"):
        parts = code.split(".")
        for depth in range(2, len(parts) + 1):
            candidate = ".".join(parts[:depth])
            if session.get(Office, candidate) is not None:
                return candidate
    index = regions.index(session)
    kpts = [c for c in session.scalars(select(Office.code)) if index.level(c) == KABUPATEN]
    if len(kpts) == 1:
        return kpts[0]
    raise InvalidRecordError({"office": ["say which office's blank cards to use (--office)"]})
