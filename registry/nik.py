"""NIK, the 16-digit resident number: ``PPKKCC DDMMYY SSSS``.

``PPKKCC`` is the kecamatan where the NIK was first issued (it never follows the person),
``DDMMYY`` the birth date with 40 added to the day for women, ``SSSS`` a serial 0001-9999
unique within the first twelve digits. A NIK alone cannot tell 19YY from 20YY, so checks
against a birth date always take the date from the record.

Validation separates *errors* (the number cannot be right) from *warnings* (it may be right
but deserves a look): kecamatan were split over the years, so an old NIK may name a kecamatan
code that no longer exists; an unknown province or kabupaten is always an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

FEMALE_DAY_OFFSET = 40
MAX_SERIAL = 9999


class NikError(ValueError):
    """A string that is not a well-formed NIK."""


@dataclass(frozen=True)
class Nik:
    kecamatan: str  # six digits, e.g. "331410"
    day: int  # 1-31, without the female offset
    month: int
    yy: int  # two-digit year
    female: bool
    serial: int

    @property
    def prefix(self) -> str:
        """The first twelve digits, within which the serial is unique."""
        return str(self)[:12]

    @property
    def kecamatan_code(self) -> str:
        """The dotted region code of the kecamatan of first issue, e.g. ``33.14.10``."""
        k = self.kecamatan
        return f"{k[:2]}.{k[2:4]}.{k[4:6]}"

    def __str__(self) -> str:
        day = self.day + (FEMALE_DAY_OFFSET if self.female else 0)
        return f"{self.kecamatan}{day:02d}{self.month:02d}{self.yy:02d}{self.serial:04d}"


def date_part(birth_date: dt.date, female: bool) -> str:
    """``DDMMYY`` as the NIK carries it."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if female else 0)
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


def encode(kecamatan: str, birth_date: dt.date, female: bool, serial: int) -> str:
    """Build a NIK from its parts; ``kecamatan`` dotted (33.14.10) or bare (331410)."""
    digits = kecamatan.replace(".", "")
    if len(digits) != 6 or not digits.isdigit():
        raise NikError(f"kecamatan code must have six digits, got {kecamatan!r}")
    if not 1 <= serial <= MAX_SERIAL:
        raise NikError(f"serial must be 1-{MAX_SERIAL}, got {serial}")
    return f"{digits}{date_part(birth_date, female)}{serial:04d}"


def parse(text: str) -> Nik:
    """Split a NIK into its parts; raises `NikError` when the structure is wrong."""
    if len(text) != 16 or not text.isascii() or not text.isdigit():
        raise NikError("NIK must be exactly 16 digits")
    raw_day, month, yy, serial = int(text[6:8]), int(text[8:10]), int(text[10:12]), int(text[12:])
    female = raw_day > FEMALE_DAY_OFFSET
    day = raw_day - FEMALE_DAY_OFFSET if female else raw_day
    if not 1 <= day <= 31:
        raise NikError(f"birth day {text[6:8]} is neither 01-31 (men) nor 41-71 (women)")
    if not 1 <= month <= 12:
        raise NikError(f"birth month {text[8:10]} is not 01-12")
    if serial == 0:
        raise NikError("serial 0000 is never issued")
    if not any(_is_date(century + yy, month, day) for century in (1900, 2000)):
        raise NikError(f"{text[6:12]} is not a calendar date in any century")
    return Nik(text[:6], day, month, yy, female, serial)


def _check_region(digits: str, region_exists: Callable[[str], bool], check: NikCheck) -> None:
    """The six-digit kecamatan part of a NIK or KK number: an unknown province or kabupaten is
    an error, an unknown kecamatan only a warning (kecamatan were split over the years)."""
    code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}"
    if not region_exists(code[:2]):
        check.errors.append(f"province {code[:2]} does not exist")
    elif not region_exists(code[:5]):
        check.errors.append(f"kabupaten/kota {code[:5]} does not exist")
    elif not region_exists(code):
        check.warnings.append(
            f"kecamatan {code} is not in today's region list (it may have been split since)"
        )


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


@dataclass
class NikCheck:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(
    text: str,
    *,
    region_exists: Callable[[str], bool],
    birth_date: dt.date | None = None,
    female: bool | None = None,
) -> NikCheck:
    """Check a NIK's structure, its region, and (when given) the record's birth date and sex.

    ``region_exists`` answers for a dotted region code (``33``, ``33.14``, ``33.14.10``).
    """
    check = NikCheck()
    try:
        nik = parse(text)
    except NikError as exc:
        check.errors.append(str(exc))
        return check
    _check_region(nik.kecamatan, region_exists, check)
    encoded = (nik.day, nik.month, nik.yy)
    if birth_date is not None and encoded != (birth_date.day, birth_date.month, birth_date.year % 100):
        check.errors.append(f"NIK birth date {text[6:12]} does not match {birth_date:%d-%m-%Y}")
    if female is not None and nik.female != female:
        sex = "female (day + 40)" if nik.female else "male"
        check.errors.append(f"NIK encodes a {sex} birth day, which does not match the record")
    return check


# KK number, 16 digits: a six-digit kecamatan code, a date part and a 4-digit serial. The date
# part's format is *unconfirmed* (domain notes); the numbers SIAK issued show the issue date as
# DDMMYY, which is what `registry.allocation.allocate_kk` writes. Because it is unconfirmed, a
# date part that is no such date, or a serial 0000, is only a warning; set `KK_DATE_PART` to
# None to stop checking the date part at all.
KK_DATE_PART: str | None = "DDMMYY"


def kk_date_plausible(part: str) -> bool:
    """Whether the six digits of a KK number's date part read as `KK_DATE_PART`."""
    if KK_DATE_PART is None:
        return True
    day, month, yy = int(part[:2]), int(part[2:4]), int(part[4:6])
    return 1 <= month <= 12 and any(_is_date(c + yy, month, day) for c in (1900, 2000))


def validate_kk(text: str, *, region_exists: Callable[[str], bool]) -> NikCheck:
    """Check a KK number as domain.md describes it: errors for a wrong structure or an unknown
    province or kabupaten; warnings for an unknown kecamatan (split since), and for a date part
    or serial that do not look issued (their format is unconfirmed)."""
    check = NikCheck()
    if len(text) != 16 or not text.isascii() or not text.isdigit():
        check.errors.append("KK number must be exactly 16 digits")
        return check
    _check_region(text[:6], region_exists, check)
    if not kk_date_plausible(text[6:12]):
        check.warnings.append(f"date part {text[6:12]} is not a date ({KK_DATE_PART})")
    if text[12:] == "0000":
        check.warnings.append("serial 0000 is not normally issued")
    return check
