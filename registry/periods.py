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
FIRST_YEAR, LAST_YEAR = 1900, 2999  # the years a period may fall in
FORMS = "2026, 2026-03, 2026-Q1, 2026-S1 or 2026-01-01..2026-01-31"


class PeriodError(InvalidRecordError):
    """A period that cannot be. ``reason`` names the case for messages in people's language:
    ``unreadable`` (none of the `FORMS`), ``no-such-month``, ``no-such-day``, ``year-range``
    (outside `FIRST_YEAR`..`LAST_YEAR`) or ``order`` (ends before it starts); ``field`` is the
    input at fault and ``details`` the values to show with the message."""

    def __init__(self, reason: str, message: str, *, field: str = "period",
                 **details: object) -> None:
        super().__init__({field: [message]})
        self.reason, self.field, self.details = reason, field, details


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("order", f"ends {self.end} before it starts {self.start}",
                              start=self.start, end=self.end)

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


def check_year(y: int, *, field: str = "period") -> int:
    """``y`` if a period may fall in it (see `FIRST_YEAR`, `LAST_YEAR`)."""
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise PeriodError("year-range", f"{y}: the year must be {FIRST_YEAR} to {LAST_YEAR}",
                          field=field, year=y, first=FIRST_YEAR, last=LAST_YEAR)
    return y


def year(y: int, *, field: str = "period") -> Period:
    check_year(y, field=field)
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31))


def month(y: int, m: int) -> Period:
    check_year(y)
    if not 1 <= m <= 12:
        raise PeriodError("no-such-month", f"{y}-{m:02d}: months are 01 to 12", month=m,
                          text=f"{y}-{m:02d}")
    first = dt.date(y, m, 1)
    return Period(first, month_end(first))


def months(y: int, first: int, count: int) -> Period:
    """``count`` months from month ``first`` of year ``y`` (a quarter, a half year)."""
    start, last = month(y, first), month(y, first + count - 1)
    return Period(start.start, last.end)


def span(start: dt.date, end: dt.date, *, fields: tuple[str, str] = ("period", "period")
         ) -> Period:
    """The days from ``start`` to ``end``, checked: ``fields`` name the inputs they came from,
    for the message that says which one is wrong."""
    check_year(start.year, field=fields[0])
    check_year(end.year, field=fields[1])
    if end < start:
        raise PeriodError("order", f"ends {end} before it starts {start}", field=fields[1],
                          start=start, end=end)
    return Period(start, end)


def day(text: str, *, field: str = "period") -> dt.date:
    """A day written ``YYYY-MM-DD`` that exists in the calendar."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise PeriodError("unreadable", f"{text!r}: days are written YYYY-MM-DD", field=field,
                          text=text)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PeriodError("no-such-day", f"{text}: there is no such day", field=field,
                          text=text) from None


_FORMS = (
    (re.compile(r"^(\d{4})$"), lambda m: year(int(m[1]))),
    (re.compile(r"^(\d{4})-(\d{2})$"), lambda m: month(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.I), lambda m: months(int(m[1]), 3 * int(m[2]) - 2, 3)),
    (re.compile(r"^(\d{4})-S([12])$", re.I), lambda m: months(int(m[1]), 6 * int(m[2]) - 5, 6)),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$"),
     lambda m: span(day(m[1]), day(m[2]))),
)


def parse(text: str) -> Period:
    """``2026``, ``2026-03``, ``2026-Q1``, ``2026-S2`` or ``2026-01-01..2026-01-31``; a
    `PeriodError` that says why not."""
    text = text.strip()
    for pattern, build in _FORMS:
        match = pattern.match(text)
        if match:
            return build(match)
    raise PeriodError("unreadable", f"{text!r}: use {FORMS}", text=text)


def local_day(moment: dt.datetime, tz: dt.tzinfo = JAKARTA) -> dt.date:
    return moment.astimezone(tz).date()


def today(tz: dt.tzinfo = JAKARTA) -> dt.date:
    return dt.datetime.now(tz).date()
