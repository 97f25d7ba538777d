"""The tables of the annual report: plain rows of text, already formatted, so the PDF layer only
lays them out. Every SKM figure carries its number of respondents or answers."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from registry.evaluation import Evaluation
from registry.models.issuance import BARU, REPRINT_REASONS
from registry.models.stock import (
    PRINTED,
    RECEIVED,
    RETURNED,
    SPOILED,
    TRANSFER_IN,
    TRANSFER_OUT,
)
from registry.skm import WEIGHT, Result

from . import formatting as f
from . import wording

Rows = list[list[str]]


def grade_text(result: Result | None) -> str:
    if result is None or result.grade is None:
        return f.DASH
    return f"{result.grade.letter} ({wording.GRADE_NAMES[result.grade.letter]})"


def elements(result: Result) -> Rows:
    rows = [[_("No."), _("Element"), _("Answers"), _("Sum"), _("NRR"), _("NRR × 1/9"),
             _("Score"), _("Grade")]]
    for e in result.elements:
        rows.append([f"U{e.element.number}", str(wording.ELEMENT_NAMES[e.element.key]),
                     f.count(e.answers), f.count(e.total), f.nrr(e.nrr),
                     f.index(None if e.nrr is None else e.nrr * WEIGHT), f.score(e.converted),
                     e.grade.letter if e.grade else f.DASH])
    rows.append(["", _("SKM index (Σ NRR × 1/9) and score (× 25)"),
                 f.count(result.respondents), "", "", f.index(result.index),
                 f.score(result.converted), result.grade.letter if result.grade else f.DASH])
    return rows


def offices(ev: Evaluation, names: dict[str, str]) -> Rows:
    rows = [[_("Office"), _("Served"), _("Respondents"), _("Needed"), _("Score"), _("Grade")]]
    for office in sorted(set(ev.survey.by_office) | set(ev.survey.served)):
        result = ev.survey.by_office.get(office)
        rows.append([names.get(office, office), f.count(ev.survey.served.get(office, 0)),
                     f.count(result.respondents if result else 0),
                     f.count(ev.survey.required_for(office)),
                     f.score(result.converted if result else None), grade_text(result)])
    return rows


def months(ev: Evaluation) -> Rows:
    rows = [[_("Month"), _("Respondents"), _("Score"), _("Grade")]]
    for month, result in ev.survey.by_month.items():
        rows.append([format_date(month, "MMMM yyyy"), f.count(result.respondents),
                     f.score(result.converted), grade_text(result)])
    return rows


def volumes(ev: Evaluation, names: dict[str, str]) -> Rows:
    rows = [[_("Office"), *(str(wording.VOLUMES[k]) for k in ("received", "printed",
                                                               "handed_over"))]]
    for office, c in ev.by_office.items():
        rows.append([names.get(office, office), f.count(c.received), f.count(c.printed),
                     f.count(c.handed_over)])
    t = ev.totals
    rows.append([_("Total"), f.count(t.received), f.count(t.printed), f.count(t.handed_over)])
    return rows


def series(ev: Evaluation) -> Rows:
    rows = [[_("Day") if ev.daily_series else _("Month"),
             *(str(wording.VOLUMES[k]) for k in ("received", "printed", "handed_over"))]]
    for when, c in ev.series.items():
        label = format_date(when, "dd-MM-yyyy" if ev.daily_series else "MMMM yyyy")
        rows.append([label, f.count(c.received), f.count(c.printed), f.count(c.handed_over)])
    return rows


def lead_times(ev: Evaluation, names: dict[str, str]) -> Rows:
    rows = [[_("Office"), _("Handovers"), _("Median"), _("90th percentile")]]
    for office, t in ev.lead_times.items():
        rows.append([names.get(office, office), f.count(t.count), f.days(t.median),
                     f.days(t.p90)])
    o = ev.lead_overall
    rows.append([_("All offices"), f.count(o.count), f.days(o.median), f.days(o.p90)])
    return rows


def reprints(ev: Evaluation, names: dict[str, str]) -> Rows:
    reasons = (BARU, *REPRINT_REASONS)
    rows = [[_("Office"), *(str(wording.REASONS[r]) for r in reasons)]]
    for office, counts in ev.reprints.items():
        rows.append([names.get(office, office), *(f.count(counts.get(r, 0)) for r in reasons)])
    totals = ev.reprint_totals
    rows.append([_("Total"), *(f.count(totals.get(r, 0)) for r in reasons)])
    return rows


def printers(ev: Evaluation) -> Rows:
    rows = [[_("Printer"), _("Attempts"), _("Failed"), _("Failure rate"), _("Causes"),
             _("Spoiled blanks"), _("Uptime"), _("Faults")]]
    for p in ev.printers:
        causes = ", ".join(f"{code} {n}" for code, n in p.failures_by_code.items()) or f.DASH
        rows.append([p.name, f.count(p.attempts), f.count(p.failed), f.percent(p.failure_rate),
                     causes, f.count(p.spoiled), f.percent(p.uptime.ratio),
                     f.count(p.uptime.faults)])
    return rows


def stock(ev: Evaluation, names: dict[str, str]) -> Rows:
    """Per office: opening + received + transfers (in less out) - printed - spoiled -
    returned = closing, every term shown, so each row adds up (the dashboard shows the same)."""
    rows = [[_("Office"), _("Opening"), str(wording.STOCK_KINDS[RECEIVED]), _("Transfers"),
             str(wording.STOCK_KINDS[PRINTED]), str(wording.STOCK_KINDS[SPOILED]),
             str(wording.STOCK_KINDS[RETURNED]), _("Closing"), _("Used per day"),
             _("Days left")]]
    for s in ev.stock:
        moved = s.moved
        rows.append([names.get(s.office_code, s.office_code), f.count(s.opening),
                     f.count(moved[RECEIVED]), f.count(moved[TRANSFER_IN] + moved[TRANSFER_OUT]),
                     f.count(-moved[PRINTED]), f.count(-moved[SPOILED]),
                     f.count(-moved[RETURNED]), f.count(s.closing), f.daily_use(s.daily_use),
                     _("not in use") if s.days_left is None else f.count(s.days_left)])
    return rows


def summary(ev: Evaluation) -> Rows:
    sv, t, lead = ev.survey, ev.totals, ev.lead_overall
    failed = sum(p.failed for p in ev.printers)
    attempts = sum(p.attempts for p in ev.printers)
    spoiled = sum(p.spoiled for p in ev.printers)
    reprinted = sum(v for k, v in ev.reprint_totals.items() if k != BARU)
    return [
        [_("SKM score"), f"{f.score(sv.overall.converted)} · {grade_text(sv.overall)}",
         _("%(n)s respondents", n=f.count(sv.overall.respondents))],
        [_("Sample needed (Krejcie & Morgan)"), f.count(sv.required),
         _("of %(n)s residents served", n=f.count(sv.served_total))],
        [_("Previous period"), f.score(sv.previous.converted),
         _("%(n)s respondents", n=f.count(sv.previous.respondents))],
        [str(wording.VOLUMES["received"]), f.count(t.received), ""],
        [str(wording.VOLUMES["printed"]), f.count(t.printed),
         _("%(n)s reprints", n=f.count(reprinted))],
        [str(wording.VOLUMES["handed_over"]), f.count(t.handed_over), ""],
        [_("Days from application to handover"),
         f"{f.days(lead.median)} / {f.days(lead.p90)}",
         _("median / 90th percentile, %(n)s handovers", n=f.count(lead.count))],
        [_("Print failures"), f.count(failed), _("of %(n)s attempts", n=f.count(attempts))],
        [_("Spoiled blanks"), f.count(spoiled), ""],
    ]
