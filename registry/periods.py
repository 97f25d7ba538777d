"""Reporting periods: whole local days, turned into UTC bounds for the stored timestamps.

Offices count days and months on the local clock (WIB for Sragen), while every timestamp is
stored in UTC; a card handed over at 06:30 WIB on the 1st belongs to the 1st, although it is
23:30 UTC on the day before.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .errors import InvalidRecordError

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidRecordError({"period": [f"ends {self.end} before it starts "
                                                 f"{self.start}"]})

    def bounds(self, tz: dt.tzinfo = JAKARTA) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware UTC datetimes."""
        begin = dt.datetime.combine(self.start, dt.time(), tz)
        stop = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tz)
        return begin.astimezone(dt.UTC), stop.astimezone(dt.UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def each_day(self) -> Iterator[dt.date]:
        for n in range(self.days):
            yield self.start + dt.timedelta(days=n)

    def each_month(self) -> Iterator[dt.date]:
        """The first day of every month the period touches."""
        month = self.start.replace(day=1)
        while month <= self.end:
            yield month
            month = next_month(month)

    def previous(self) -> Period:
        """The period of the same length just before (for comparisons)."""
        if self.start.day == 1 and self.end == month_end(self.end):
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            first = self.start
            for _ in range(months):
                first = (first - dt.timedelta(days=1)).replace(day=1)
            return Period(first, self.start - dt.timedelta(days=1))
        return Period(self.start - dt.timedelta(days=self.days),
                      self.start - dt.timedelta(days=1))

    def label(self) -> str:
        """A compact, language-neutral name, the form `parse` reads back."""
        if self.start.day == 1 and self.end == month_end(self.end):
            if self.start.month == 1 and self.end.month == 12 and self.start.year == self.end.year:
                return str(self.start.year)
            if self.start.year == self.end.year and self.start.month == self.end.month:
                return f"{self.start:%Y-%m}"
            if (self.start.year == self.end.year and self.start.month % 3 == 1
                    and self.end.month == self.start.month + 2):
                return f"{self.start.year}-Q{(self.start.month + 2) // 3}"
            if (self.start.year == self.end.year and self.start.month in (1, 7)
                    and self.end.month == self.start.month + 5):
                return f"{self.start.year}-S{1 if self.start.month == 1 else 2}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: dt.date) -> dt.date:
    return month_end(day) + dt.timedelta(days=1)


def year(y: int) -> Period:
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31))


def month(y: int, m: int) -> Period:
    first = dt.date(y, m, 1)
    return Period(first, month_end(first))


_FORMS = (
    (re.compile(r"^(\d{4})$"), lambda m: year(int(m[1]))),
    (re.compile(r"^(\d{4})-(\d{2})$"), lambda m: month(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.I), lambda m: Period(
        dt.date(int(m[1]), 3 * int(m[2]) - 2, 1),
        month_end(dt.date(int(m[1]), 3 * int(m[2]), 1)))),
    (re.compile(r"^(\d{4})-S([12])$", re.I), lambda m: Period(
        dt.date(int(m[1]), 6 * int(m[2]) - 5, 1),
        month_end(dt.date(int(m[1]), 6 * int(m[2]), 1)))),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$"), lambda m: Period(
        dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2]))),
)


def parse(text: str) -> Period:
    """``2026``, ``2026-03``, ``2026-Q1``, ``2026-S2`` or ``2026-01-01..2026-01-31``."""
    text = text.strip()
    for pattern, build in _FORMS:
        match = pattern.match(text)
        if match:
            try:
                return build(match)
            except ValueError as exc:
                raise InvalidRecordError({"period": [str(exc)]}) from None
    raise InvalidRecordError({"period": [
        f"{text!r}: use 2026, 2026-03, 2026-Q1, 2026-S1 or 2026-01-01..2026-01-31"]})


def local_day(moment: dt.datetime, tz: dt.tzinfo = JAKARTA) -> dt.date:
    return moment.astimezone(tz).date()


def today(tz: dt.tzinfo = JAKARTA) -> dt.date:
    return dt.datetime.now(tz).date()
