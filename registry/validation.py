"""Field rules of a resident record, shared by registration, edits and CSV import.

Everything that can be said about one field is said at once: the caller gets every wrong field
with its reasons, so a clerk fixes a form in one go and an import report lists every problem.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from . import values
from .names import clean_name
from .regions import RegionIndex

RESIDENT_FIELDS = (
    "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "golongan_darah", "agama",
    "status_perkawinan", "pekerjaan", "kewarganegaraan", "itap_berlaku_hingga", "alamat", "rt",
    "rw", "desa_code", "hubungan_keluarga", "status",
)
# Permendagri 74/2015: a NIK, birth place and date and blood type never change; the sex is
# part of the NIK, so changing it would contradict the number.
STATIC_FIELDS = ("nik", "tempat_lahir", "tanggal_lahir", "golongan_darah", "jenis_kelamin")
OPTIONAL_FIELDS = ("itap_berlaku_hingga", "status", "hubungan_keluarga")
_FIELD_SET = frozenset(RESIDENT_FIELDS)

MAX_LENGTH = {"nama": 60, "tempat_lahir": 40, "alamat": 120}
EARLIEST_BIRTH = dt.date(1880, 1, 1)
_NAME_CHARS = re.compile(r"^[A-Z][A-Z .,'\-]*$")
_PLACE_CHARS = re.compile(r"^[A-Z][A-Z .,'\-/()]*$")
_ADDRESS_CHARS = re.compile(r"^[A-Z0-9 .,'\-/()#:]+$")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None. A NUL character is refused by
    PostgreSQL (SQLite keeps it), and a lone surrogate (a JSON ``"\\ud800"``, or bytes that are
    not UTF-8 in a command's arguments) cannot be encoded at all: both would fail deep in the
    database driver, on one backend or both, instead of being named."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character (\\x00), which cannot be stored"
    return "is not valid Unicode text (a lone surrogate, or bytes that are not UTF-8)"


def parse_date(value: Any) -> dt.date:
    """A date from a `date`, ``YYYY-MM-DD`` or the ``DD-MM-YYYY`` printed on cards."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        if len(text) == 10 and text[2] == text[5] and text[2] in "-/":
            return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date: {exc}") from None
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD or DD-MM-YYYY)")


def _text(field: str, pattern: re.Pattern[str], what: str) -> Callable[[Any], str]:
    limit = MAX_LENGTH[field]

    def clean(value: Any) -> str:
        text = clean_name(value)
        if not text:
            raise ValueError("is required")
        if len(text) > limit:
            raise ValueError(f"is {len(text)} characters long; at most {limit} fit on the card")
        if not pattern.match(text):
            raise ValueError(f"may only contain {what}")
        return text

    return clean


def _rt_rw(value: Any) -> str:
    text = str(value).strip()
    if not text.isdigit() or not 1 <= len(text) <= 3 or int(text) == 0:
        raise ValueError("must be a number 001-999")
    return text if len(text) == 3 else f"{int(text):03d}"


def _coded(field: str) -> Callable[[Any], str]:
    allowed = values.allowed(field)
    allowed_set = frozenset(allowed)
    shown = ", ".join(allowed) if len(allowed) <= 13 else "one of the SIAK values"

    def clean(value: Any) -> str:
        if value in allowed_set:
            return value
        text = values.canonical(value)
        if text not in allowed_set:
            raise ValueError(f"{str(value)!r} is not allowed (expected {shown})")
        return text

    return clean


def _optional_date(value: Any) -> dt.date | None:
    return None if value in (None, "") else parse_date(value)


_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "nama": _text("nama", _NAME_CHARS, "letters, spaces and . , ' -"),
    "tempat_lahir": _text("tempat_lahir", _PLACE_CHARS, "letters, spaces and . , ' - / ( )"),
    "alamat": _text("alamat", _ADDRESS_CHARS, "letters, digits, spaces and . , ' - / ( ) # :"),
    "rt": _rt_rw,
    "rw": _rt_rw,
    "itap_berlaku_hingga": _optional_date,
    **{f: _coded(f) for f in values.CODED_FIELDS},
}


def cleaner(field: str) -> Callable[[Any], Any]:
    """The rule of one field that needs no context (all but ``tanggal_lahir`` and
    ``desa_code``): returns the clean value or raises `ValueError` with the reason."""
    return _CLEANERS[field]


def birth_date(value: Any, today: dt.date) -> dt.date:
    """The rule of ``tanggal_lahir``: a date, not in the future, not before 1880."""
    born = parse_date(value)
    if born > today:
        raise ValueError("is in the future")
    if born < EARLIEST_BIRTH:
        raise ValueError(f"is before {EARLIEST_BIRTH:%Y}")
    return born


def _desa(value: Any, regions: RegionIndex) -> str:
    code = str(value).strip()
    if not regions.is_desa(code):
        raise ValueError(f"{code!r} is not a desa/kelurahan code (like 33.14.10.2007)")
    return code


def clean_fields(
    data: Mapping[str, Any],
    regions: RegionIndex,
    *,
    required: bool = True,
    today: dt.date | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Normalise the resident fields present in ``data``; returns (clean values, errors).

    With ``required`` every field except the optional ones must be present (registration);
    without it only the given fields are checked (an edit).
    """
    today = today or dt.date.today()
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in RESIDENT_FIELDS:
        if data.get(field) in (None, ""):
            if required and field not in OPTIONAL_FIELDS:
                errors.setdefault(field, []).append("is required")
            elif field in data:
                clean[field] = None
            continue
        value = data[field]
        try:
            if field == "tanggal_lahir":
                clean[field] = birth_date(value, today)
            elif field == "desa_code":
                clean[field] = _desa(value, regions)
            else:
                clean[field] = _CLEANERS[field](value)
        except (ValueError, TypeError) as exc:
            errors.setdefault(field, []).append(str(exc))
    for field in sorted(data.keys() - _FIELD_SET):
            errors.setdefault(field, []).append("is not a resident field")
    return clean, errors


def check_record(record: Mapping[str, Any], today: dt.date | None = None) -> dict[str, list[str]]:
    """Rules that tie fields together, on a whole (merged) record."""
    errors: dict[str, list[str]] = {}
    wna = record.get("kewarganegaraan") == "WNA"
    itap = record.get("itap_berlaku_hingga")
    if wna and itap is None:
        errors["itap_berlaku_hingga"] = ["is required for a WNA (the KTP is valid as long as the ITAP)"]
    if not wna and itap is not None:
        errors["itap_berlaku_hingga"] = ["applies to WNA residents only"]
    return errors
