"""The dashboard's tables as CSV: machine-readable (dot decimals, ISO dates, codes not labels),
with the exact sums and counts beside every rounded figure so anyone can recompute it."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import IO, Any

from registry.evaluation import Evaluation
from registry.models.issuance import BARU, REPRINT_REASONS
from registry.models.stock import MOVEMENT_KINDS
from registry.models.survey import SCORE_COLUMNS, SurveyResponse
from registry.skm import WEIGHT, round_half_up

from .formatting import DAILY_USE_PLACES

Row = list[Any]


def fixed(value: Fraction | None, places: int) -> str:
    """Rounded half-up, dot decimals; empty when there is no figure."""
    return "" if value is None else str(round_half_up(value, places))


def _grade(result) -> str:
    return result.grade.letter if result is not None and result.grade else ""


def days(value) -> str:
    return "" if value is None else fixed(Fraction(int(value.total_seconds()), 86_400), 3)


def _text(value: str | None) -> str:
    """No cell may start like a spreadsheet formula (CSV injection)."""
    text = value or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def skm_elements(ev: Evaluation, names: dict[str, str]) -> Iterable[Row]:
    yield ["element", "name", "answers", "sum", "nrr", "nrr_weighted", "score", "grade"]
    result = ev.survey.overall
    for e in result.elements:
        yield [e.element.key, e.element.name, e.answers, e.total, fixed(e.nrr, 6),
               fixed(None if e.nrr is None else e.nrr * WEIGHT, 6), fixed(e.converted, 2),
               _grade(e)]
    yield ["all", "SKM", result.respondents, "", "", fixed(result.index, 6),
           fixed(result.converted, 2), _grade(result)]


def skm_offices(ev: Evaluation, names: dict[str, str]) -> Iterable[Row]:
    yield ["office", "name", "served", "codes_issued", "respondents", "sample_needed", "index",
           "score", "grade"]
    sv = ev.survey
    for office in sorted(set(sv.by_office) | set(sv.served) | set(sv.invited)):
        result = sv.by_office.get(office)
        yield [office, _text(names.get(office, "")), sv.served.get(office, 0),
               sv.invited.get(office, 0), result.respondents if result else 0,
               sv.required_for(office), fixed(result.index if result else None, 6),
               fixed(result.converted if result else None, 2), _grade(result)]


def skm_months(ev: Evaluation, names: dict[str, str]) -> Iterable[Row]:
    yield ["month", "respondents", "index", "score", "grade"]
    for month, result in ev.survey.by_month.items():
        yield [f"{month:%Y-%m}", result.respondents, fixed(result.index, 6),
               fixed(result.converted, 2), _grade(result)]


def volumes(ev: Evaluation, names: dict[str, str]) -> Iterable[Row]:
    yield ["office", "day", "received", "printed", "handed_over"]
    for (office, day), c in sorted(ev.daily.items()):
        yield [office, day.isoformat(), c.received, c.printed, c.handed_over]


def lead_times(ev: Evaluation, names: dict[str, str]) -> Iterable[Row]:
    yield ["office", "handovers", "median_days", "p90_days"]
    for office, t in ev.lead_times.items():
        yield [office, t.count, days(t.median), days(t.p90)]
    o = ev.lead_overall
    yield ["all", o.count, days(o.median), days(o.p90)]


def reprints(ev: Evaluation, names: dict[str, str]) -> Iterable[Row]:
    yield ["office", "reason", "cards"]
    for office, counts in ev.reprints.items():
        for reason in (BARU, *REPRINT_REASONS):
            yield [office, reason, counts.get(reason, 0)]


def printers(ev: Evaluation, names: dict[str, str]) -> Iterable[Row]:
    yield ["printer", "office", "attempts", "printed", "failed", "held", "failure_rate",
           "spoiled", "uptime", "ready_hours", "fault_hours", "faults", "failure_codes"]
    for p in ev.printers:
        yield [_text(p.name), p.office_code or "", p.attempts, p.printed, p.failed, p.held,
               fixed(p.failure_rate, 4), p.spoiled, fixed(p.uptime.ratio, 4),
               fixed(Fraction(int(p.uptime.ready.total_seconds()), 3600), 2),
               fixed(Fraction(int(p.uptime.fault.total_seconds()), 3600), 2), p.uptime.faults,
               " ".join(f"{code}={n}" for code, n in p.failures_by_code.items())]


def stock(ev: Evaluation, names: dict[str, str]) -> Iterable[Row]:
    yield ["office", "opening", *(k.lower() for k in MOVEMENT_KINDS), "closing",
           "used_in_window", "window_days", "daily_use", "days_left"]
    for s in ev.stock:
        yield [s.office_code, s.opening, *(s.moved.get(k, 0) for k in MOVEMENT_KINDS),
               s.closing, s.used_in_window, s.window_days, fixed(s.daily_use, DAILY_USE_PLACES),
               "" if s.days_left is None else s.days_left]


def responses(rows: Iterable[SurveyResponse]) -> Iterable[Row]:
    """Anonymous answers, one per respondent (no time of day, no code, no card)."""
    yield ["id", "office", "day", "channel", *SCORE_COLUMNS, "comment", "paper_serial"]
    for r in rows:
        yield [r.id, r.office_code, r.day.isoformat(), r.channel,
               *("" if s is None else s for s in r.scores), _text(r.comment),
               _text(r.paper_serial)]


DATASETS: dict[str, Callable[[Evaluation, dict[str, str]], Iterable[Row]]] = {
    "skm-elements": skm_elements,
    "skm-offices": skm_offices,
    "skm-months": skm_months,
    "volumes": volumes,
    "lead-times": lead_times,
    "reprints": reprints,
    "printers": printers,
    "stock": stock,
}


def write(out: IO[str], dataset: str, ev: Evaluation, names: dict[str, str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(DATASETS[dataset](ev, names))


def write_rows(out: IO[str], rows: Iterable[Row]) -> None:
    csv.writer(out, lineterminator="\n").writerows(rows)
