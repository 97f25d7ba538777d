"""Service indicators on records with known timestamps (March 2026, WIB = UTC+7).

The month runs from 2026-02-28 17:00 UTC to 2026-03-31 17:00 UTC.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from registry import offices, periods, stock
from registry.indicators import lead_times, offices_within, volumes
from registry.indicators.printers import printer_figures, uptime
from registry.indicators.stock import stock_figures
from registry.models.stock import PRINTED, RECEIVED, SPOILED, TRANSFER_IN, TRANSFER_OUT

from . import world
from .world import utc

MARCH = periods.month(2026, 3)
NOW = utc(2026, 6, 1)
H = dt.timedelta(hours=1)
SRAGEN, KALIJAMBE, KPT = "33.14.10", "33.14.01", "33.14"


@pytest.fixture
def march(db):
    """The month described in each test's comments."""
    with db.write() as s:
        for code in (KPT, SRAGEN, KALIJAMBE):
            offices.add(s, world.CLERK, code)
        p1 = world.printer(s, "p1", SRAGEN)
        p2 = world.printer(s, "p2", KALIJAMBE)
        p3 = world.printer(s, "p3", None)
        # Sragen: A1 49 h, A2 (a lost-card reprint) 96 h, A3 8 h from application to handover.
        a1 = world.application(s, SRAGEN, utc(2026, 3, 2, 1))
        world.card(s, SRAGEN, utc(2026, 3, 3, 3), utc(2026, 3, 4, 2), of=a1, printer=p1)
        a2 = world.application(s, SRAGEN, utc(2026, 3, 2, 2), reason="HILANG")
        world.card(s, SRAGEN, utc(2026, 3, 5, 2), utc(2026, 3, 6, 2), of=a2, printer=p1)
        a3 = world.application(s, SRAGEN, utc(2026, 3, 10), )
        world.card(s, SRAGEN, utc(2026, 3, 10, 6), utc(2026, 3, 10, 8), of=a3, printer=p1)
        # A4: handed over 2026-03-31 17:30 UTC = 1 April 00:30 WIB: an April handover.
        a4 = world.application(s, SRAGEN, utc(2026, 3, 20))
        world.card(s, SRAGEN, utc(2026, 3, 25), utc(2026, 3, 31, 17, 30), of=a4, printer=p1)
        # A batch reprint (no application): printed 12 March, handed over 13 March.
        world.card(s, SRAGEN, utc(2026, 3, 12), utc(2026, 3, 13), reason="RUSAK", printer=p1)
        # Kalijambe: A5 applied 2026-02-28 17:30 UTC = 1 March 00:30 WIB; waited 34.5 h.
        a5 = world.application(s, KALIJAMBE, utc(2026, 2, 28, 17, 30))
        world.card(s, KALIJAMBE, utc(2026, 3, 2), utc(2026, 3, 2, 4), of=a5, printer=p2)
        world.application(s, KALIJAMBE, utc(2026, 3, 15), state="DITOLAK")
        world.application(s, KPT, utc(2026, 4, 2))  # April
        _printing(s, p1, p2, p3)
        _stock(s, p1)
    return db


def _printing(s, p1, p2, p3):
    for day in (3, 5, 10, 12, 25):
        world.attempt(s, p1, SRAGEN, utc(2026, 3, day), "printed")
    world.attempt(s, p1, SRAGEN, utc(2026, 3, 5), "failed", "jam", consumed=True)
    world.attempt(s, p1, SRAGEN, utc(2026, 3, 6), "failed", "feeder-empty", consumed=False)
    world.attempt(s, p1, SRAGEN, utc(2026, 3, 7), "held", "check-output")
    world.attempt(s, p1, SRAGEN, utc(2026, 2, 20), "printed")  # February
    world.attempt(s, p2, KALIJAMBE, utc(2026, 3, 2), "printed")
    world.attempt(s, p3, SRAGEN, utc(2026, 3, 8), "failed", "ribbon-ended", consumed=False)
    # p1: ready since February; jammed 5 March 00:00-06:00; cover open 20 March 00:00, then a
    # jam from 00:30 (one fault episode), ready again 21 March 00:00. 30 h of 744 in fault.
    world.event(s, p1, utc(2026, 2, 20), "ready")
    world.event(s, p1, utc(2026, 3, 5), "fault", "jam")
    world.event(s, p1, utc(2026, 3, 5, 6), "ready")
    world.event(s, p1, utc(2026, 3, 20), "fault", "cover-open")
    world.event(s, p1, utc(2026, 3, 20, 0, 30), "fault", "jam")
    world.event(s, p1, utc(2026, 3, 21), "ready")
    world.event(s, p1, utc(2026, 4, 10), "fault", "jam")  # after March
    # p2: first seen ready on 16 March 17:00 UTC, 360 h before the month ends.
    world.event(s, p2, utc(2026, 3, 16, 17), "ready")


def _stock(s, p1):
    # Sragen: 100 received in February. March: +50 received, 5 printed, 1 misprint (jam) and
    # 1 spoiled in the drawer at p1, 10 sent to Kalijambe -> closes at 133.
    world.received(s, SRAGEN, 100, utc(2026, 2, 1))
    world.received(s, SRAGEN, 50, utc(2026, 3, 10))
    for day in (3, 5, 10, 12, 25):
        world.used(s, SRAGEN, utc(2026, 3, day), the_printer=p1)
    world.used(s, SRAGEN, utc(2026, 3, 5), spoiled=True, the_printer=p1)
    world.spoiled(s, SRAGEN, utc(2026, 3, 20), p1)
    world.transfer(s, SRAGEN, KALIJAMBE, 10, utc(2026, 3, 15))
    # Kalijambe: 10 in, 1 printed (2 March 00:00 UTC), 1 spoiled outside a printer -> 8.
    world.used(s, KALIJAMBE, utc(2026, 3, 16))
    world.spoiled(s, KALIJAMBE, utc(2026, 3, 28))


def test_volumes_per_office_count_local_days(march):
    with march.read() as s:
        daily = volumes.daily(s, None, MARCH)
    per_office = volumes.by_office(daily)
    # Sragen received A1-A4; printed A1-A4 and the batch card; handed over A1-A3 and the batch
    # card (A4 is April in WIB). Kalijambe received A5 (1 March WIB) and the rejected one.
    assert per_office[SRAGEN] == volumes.Counts(received=4, printed=5, handed_over=4)
    assert per_office[KALIJAMBE] == volumes.Counts(received=2, printed=1, handed_over=1)
    assert KPT not in per_office
    assert volumes.total(daily) == volumes.Counts(6, 6, 5)


def test_volumes_per_day_and_month(march):
    with march.read() as s:
        daily = volumes.daily(s, None, MARCH)
    days = volumes.by_day(daily, MARCH)
    assert len(days) == 31
    assert days[dt.date(2026, 3, 1)] == volumes.Counts(received=1)  # A5 at 00:30 WIB
    assert days[dt.date(2026, 3, 2)] == volumes.Counts(received=2, printed=1, handed_over=1)
    assert days[dt.date(2026, 3, 31)] == volumes.Counts()
    assert volumes.by_month(daily, MARCH) == {dt.date(2026, 3, 1): volumes.Counts(6, 6, 5)}
    quarter = periods.parse("2026-Q1")
    with march.read() as s:
        months = volumes.by_month(volumes.daily(s, [SRAGEN], quarter), quarter)
    # February had nothing for Sragen (A5 is Kalijambe's); all of Sragen's March is there.
    assert months == {dt.date(2026, 1, 1): volumes.Counts(), dt.date(2026, 2, 1): volumes.Counts(),
                      dt.date(2026, 3, 1): volumes.Counts(4, 5, 4)}


def test_office_filter(march):
    with march.read() as s:
        assert volumes.by_office(volumes.daily(s, [KALIJAMBE], MARCH)) == {
            KALIJAMBE: volumes.Counts(2, 1, 1)}
        assert offices_within(s, KPT) == [KPT, KALIJAMBE, SRAGEN]
        assert offices_within(s, SRAGEN) == [SRAGEN]


def test_lead_time_median_and_90th_percentile(march):
    with march.read() as s:
        per_office, overall = lead_times.lead_times(s, None, MARCH)
    # Sragen sorted: 8 h, 49 h, 96 h. Median: position (3-1)×0.5 = 1 -> 49 h.
    # P90: position 2×0.9 = 1.8 -> 49 + 0.8 × (96 - 49) = 86.6 h = 86 h 36 min.
    assert per_office[SRAGEN] == lead_times.LeadTimes(3, 49 * H, dt.timedelta(hours=86, minutes=36))
    # Kalijambe: one wait of 34.5 h.
    assert per_office[KALIJAMBE] == lead_times.LeadTimes(1, 34.5 * H, 34.5 * H)
    # All four: 8, 34.5, 49, 96. Median at 1.5 -> (34.5 + 49) / 2 = 41.75 h.
    # P90 at 3 × 0.9 = 2.7 -> 49 + 0.7 × 47 = 81.9 h.
    assert overall == lead_times.LeadTimes(4, 41.75 * H, 81.9 * H)


def test_percentile_is_exact_and_refuses_nothing():
    assert lead_times.percentile([1, 2, 3, 4], Fraction(1, 2)) == Fraction(5, 2)
    assert lead_times.percentile([10], Fraction(9, 10)) == 10
    assert lead_times.percentile([0, 10], Fraction(9, 10)) == 9
    with pytest.raises(ValueError):
        lead_times.percentile([], Fraction(1, 2))
    assert lead_times.LeadTimes.of([]) == lead_times.LeadTimes(0, None, None)


def test_reprints_by_reason(march):
    with march.read() as s:
        per_office = volumes.reprints(s, None, MARCH)
    assert per_office[SRAGEN] == {"BARU": 3, "RUSAK": 1, "HILANG": 1, "PERUBAHAN DATA": 0}
    assert per_office[KALIJAMBE] == {"BARU": 1, "RUSAK": 0, "HILANG": 0, "PERUBAHAN DATA": 0}
    assert volumes.reprint_totals(per_office) == {"BARU": 4, "RUSAK": 1, "HILANG": 1,
                                                  "PERUBAHAN DATA": 0}


def test_printer_failures_spoiled_blanks_and_uptime(march):
    with march.read() as s:
        figures = {f.name: f for f in printer_figures(s, None, MARCH, now=NOW)}
    p1 = figures["p1"]
    assert (p1.attempts, p1.printed, p1.failed, p1.held) == (8, 5, 2, 1)
    assert p1.failures_by_code == {"jam": 1, "feeder-empty": 1}
    assert p1.failure_rate == Fraction(2, 8)
    assert p1.spoiled == 2  # the misprint and the blank spoiled in the drawer
    # 744 h in March, 6 h + 24 h in fault: 714/744 = 119/124 (95.97 %), two fault episodes.
    assert p1.uptime.fault == 30 * H and p1.uptime.ready == 714 * H
    assert p1.uptime.ratio == Fraction(119, 124) and p1.uptime.faults == 2
    assert p1.uptime.fault_time_by_code == {"jam": 29.5 * H, "cover-open": 0.5 * H}
    p2 = figures["p2"]
    assert (p2.attempts, p2.printed, p2.spoiled) == (1, 1, 0)
    assert p2.uptime.ready == 360 * H and p2.uptime.ratio == 1  # unknown before 16 March
    p3 = figures["p3"]
    assert (p3.attempts, p3.failed, p3.uptime.ratio) == (1, 1, None)


def test_printers_in_scope_follow_their_office_or_its_attempts(march):
    with march.read() as s:
        names = [f.name for f in printer_figures(s, [SRAGEN], MARCH, now=NOW)]
        kalijambe = printer_figures(s, [KALIJAMBE], MARCH, now=NOW)
    assert names == ["p1", "p3"]  # p3 has no office but printed for Sragen
    assert [f.name for f in kalijambe] == ["p2"]


def test_uptime_of_a_running_period_stops_at_now(march):
    with march.read() as s:
        early = printer_figures(s, [SRAGEN], MARCH, now=utc(2026, 3, 5, 3))
    p1 = next(f for f in early if f.name == "p1")
    # From 28 Feb 17:00 to 5 March 00:00 UTC ready (103 h), then jammed until "now" (3 h).
    assert (p1.uptime.ready, p1.uptime.fault) == (103 * H, 3 * H)


def test_uptime_pure_function_starting_in_fault():
    start, end = utc(2026, 1, 1), utc(2026, 1, 2)
    result = uptime([(utc(2026, 1, 1, 6), "ready", None)], ("fault", "jam"), start, end)
    assert (result.fault, result.ready, result.faults) == (6 * H, 18 * H, 1)
    assert uptime([], None, start, end).ratio is None


def test_stock_ledger_and_days_left(march):
    with march.read() as s:
        figures = {f.office_code: f for f in stock_figures(s, None, MARCH, now=NOW)}
        balances = {o: stock.balance(s, o).on_hand for o in (SRAGEN, KALIJAMBE)}
    sragen = figures[SRAGEN]
    assert sragen.opening == 100
    assert {k: v for k, v in sragen.moved.items() if v} == {
        RECEIVED: 50, PRINTED: -5, SPOILED: -2, TRANSFER_OUT: -10}
    assert sragen.closing == 133 == balances[SRAGEN]
    # 7 blanks used in the 30 days before 31 March 17:00 UTC: 7/30 a day; 133 ÷ 7/30 = 570.
    assert sragen.used_in_window == 7 and sragen.daily_use == Fraction(7, 30)
    assert sragen.days_left == 570
    kalijambe = figures[KALIJAMBE]
    assert (kalijambe.opening, kalijambe.moved[TRANSFER_IN], kalijambe.closing) == (0, 10, 8)
    assert kalijambe.closing == balances[KALIJAMBE]
    assert kalijambe.days_left == 8 * 30 // 2  # 2 used in the window: 120 days
    assert KPT not in figures


def test_stock_before_any_use_has_no_run_down(march):
    with march.read() as s:
        february = stock_figures(s, [SRAGEN], periods.month(2026, 2), now=NOW)
    assert (february[0].opening, february[0].closing, february[0].days_left) == (0, 100, None)
