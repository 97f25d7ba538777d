"""Reporting periods: local days with UTC bounds, the forms people type, the period before."""

from __future__ import annotations

import datetime as dt

import pytest

from registry import periods
from registry.errors import InvalidRecordError
from registry.periods import Period


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2026-q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    ("2026-S2", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
    ("2026-03-05..2026-03-09", dt.date(2026, 3, 5), dt.date(2026, 3, 9)),
])
def test_parse_and_label_round_trip(text, start, end):
    period = periods.parse(text)
    assert (period.start, period.end) == (start, end)
    assert periods.parse(period.label()) == period


@pytest.mark.parametrize("text", ["26", "2026-13", "2026-Q5", "2026-03-09..2026-03-05", "Maret"])
def test_what_cannot_be_a_period_is_refused(text):
    with pytest.raises(InvalidRecordError):
        periods.parse(text)


def test_bounds_are_local_midnights_in_utc():
    # WIB is UTC+7: 1 March 00:00 WIB is 28 February 17:00 UTC.
    lo, hi = periods.month(2026, 3).bounds()
    assert lo == dt.datetime(2026, 2, 28, 17, tzinfo=dt.UTC)
    assert hi == dt.datetime(2026, 3, 31, 17, tzinfo=dt.UTC)
    assert periods.local_day(dt.datetime(2026, 3, 31, 17, 30, tzinfo=dt.UTC)) == dt.date(2026, 4, 1)


def test_the_period_before():
    assert periods.month(2026, 3).previous() == periods.month(2026, 2)
    assert periods.parse("2026-Q1").previous() == periods.parse("2025-Q4")
    assert periods.year(2026).previous() == periods.year(2025)
    assert Period(dt.date(2026, 3, 5), dt.date(2026, 3, 9)).previous() == Period(
        dt.date(2026, 2, 28), dt.date(2026, 3, 4))


def test_days_and_months_of_a_period():
    period = periods.parse("2026-01-30..2026-03-02")
    assert period.days == 32 and len(list(period.each_day())) == 32
    assert list(period.each_month()) == [dt.date(2026, 1, 1), dt.date(2026, 2, 1),
                                         dt.date(2026, 3, 1)]


@pytest.mark.parametrize(("text", "reason"), [
    ("2026-13", "no-such-month"), ("2026-00", "no-such-month"), ("0000", "year-range"),
    ("9999", "year-range"), ("1899-Q4", "year-range"), ("2026-02-29..2026-03-01", "no-such-day"),
    ("2026-03-09..2026-03-05", "order"), ("Maret", "unreadable"), ("20260", "unreadable"),
])
def test_a_refused_period_says_why_for_people_to_read(text, reason):
    with pytest.raises(periods.PeriodError) as refused:
        periods.parse(text)
    assert refused.value.reason == reason and refused.value.field == "period"
    assert list(refused.value.errors) == ["period"]


def test_a_range_of_days_names_the_end_at_fault():
    with pytest.raises(periods.PeriodError) as refused:
        periods.span(dt.date(2026, 3, 9), dt.date(2026, 3, 5), fields=("from", "to"))
    assert (refused.value.reason, refused.value.field) == ("order", "to")
    assert refused.value.details == {"start": dt.date(2026, 3, 9), "end": dt.date(2026, 3, 5)}
    with pytest.raises(periods.PeriodError) as refused:
        periods.span(dt.date(1, 1, 1), dt.date(2026, 3, 5), fields=("from", "to"))
    assert (refused.value.reason, refused.value.field) == ("year-range", "from")
    with pytest.raises(periods.PeriodError) as refused:
        periods.day("2026-02-30", field="to")
    assert (refused.value.reason, refused.value.field) == ("no-such-day", "to")


@pytest.mark.parametrize("y", [periods.FIRST_YEAR, periods.LAST_YEAR])
def test_the_first_and_last_years_have_bounds_and_a_year_before(y):
    period = periods.year(y)
    assert period.bounds()[0] < period.bounds()[1] and period.previous().end.year == y - 1
