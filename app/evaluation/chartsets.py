"""The charts of an evaluation, in the reader's language, each beside a table with the same
figures (the dashboard and the report both use these)."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from registry.evaluation import Evaluation
from registry.models.issuance import REPRINT_REASONS
from registry.skm import SKM_GRADES, Result

from . import charts, formatting, wording
from .charts import Chart, Mark

GRADE_MARKS = [Mark(float(g.lowest), g.letter) for g in SKM_GRADES[:-1]]


def elements(result: Result) -> Chart:
    scores = result.elements
    return charts.hbars(
        _("SKM score per element (respondents %(n)s)", n=formatting.count(result.respondents)),
        [f"{wording.element_label(e.element.key)} (n={e.answers})" for e in scores],
        [formatting.as_float(e.converted) for e in scores],
        [formatting.score(e.converted) for e in scores], maximum=100,
        colours=[charts.GRADE_COLOURS[e.grade.letter if e.grade else None] for e in scores],
        marks=GRADE_MARKS, label_width=250)


def trend(ev: Evaluation) -> Chart:
    months = ev.survey.by_month
    return charts.vbars(
        _("SKM score per month"),
        [f"{format_date(m, 'MMM yy')}\nn={r.respondents}" for m, r in months.items()],
        [[formatting.as_float(r.converted) for r in months.values()]],
        [_("SKM score")], maximum=100, marks=GRADE_MARKS,
        value_labels=[[formatting.score(r.converted) if r.converted else "" for r in
                       months.values()]],
        colours=[charts.GRADE_COLOURS["B"]])


def by_office(ev: Evaluation, names: dict[str, str]) -> Chart:
    rows = ev.survey.by_office
    return charts.hbars(
        _("SKM score per office"),
        [f"{names.get(o, o)} (n={r.respondents})" for o, r in rows.items()],
        [formatting.as_float(r.converted) for r in rows.values()],
        [formatting.score(r.converted) for r in rows.values()], maximum=100,
        colours=[charts.GRADE_COLOURS[r.grade.letter if r.grade else None]
                 for r in rows.values()], marks=GRADE_MARKS, label_width=250)


def volumes(ev: Evaluation) -> Chart:
    series = ev.series
    if ev.daily_series:
        labels = [format_date(d, "d MMM") for d in series]
        every = 1 if len(series) <= 16 else 3
    else:
        labels = [format_date(d, "MMM yy") for d in series]
        every = 1
    counts = list(series.values())
    return charts.vbars(
        _("Applications and cards per day") if ev.daily_series else
        _("Applications and cards per month"), labels,
        [[c.received for c in counts], [c.printed for c in counts],
         [c.handed_over for c in counts]],
        [str(wording.VOLUMES[k]) for k in ("received", "printed", "handed_over")], every=every)


def lead_times(ev: Evaluation, names: dict[str, str]) -> Chart:
    rows = ev.lead_times
    if not rows:
        return _empty(_("Days from application to handover"))
    medians = [formatting.day_fraction(t.median) for t in rows.values()]
    p90s = [formatting.day_fraction(t.p90) for t in rows.values()]
    top = max([float(v) for v in p90s if v is not None] + [1]) * 1.2
    return charts.hbars(
        _("Days from application to handover"),
        [f"{names.get(o, o)} (n={t.count})" for o, t in rows.items()],
        [formatting.as_float(v) for v in medians], [formatting.fixed(v, 1) for v in medians],
        maximum=top, label_width=250, name=_("Median"),
        more=[charts.Series(_("90th percentile"), [formatting.as_float(v) for v in p90s],
                            [formatting.fixed(v, 1) for v in p90s])])


def reprints(ev: Evaluation) -> Chart:
    totals = ev.reprint_totals
    reasons = list(REPRINT_REASONS)
    values = [totals.get(r, 0) for r in reasons]
    return charts.hbars(
        _("Reprints by reason"), [str(wording.REASONS[r]) for r in reasons], values,
        [formatting.count(v) for v in values], maximum=max([*values, 1]) * 1.2,
        colours=[charts.SERIES[3]] * len(values), label_width=160)


def uptime(ev: Evaluation) -> Chart:
    rows = [p for p in ev.printers if p.uptime.ratio is not None]
    if not rows:
        return _empty(_("Printer uptime"))
    return charts.hbars(
        _("Printer uptime"), [p.name for p in rows],
        [formatting.as_float(p.uptime.ratio * 100) for p in rows],
        [formatting.percent(p.uptime.ratio) for p in rows], maximum=100,
        colours=[charts.SERIES[2]] * len(rows), label_width=160)


def stock(ev: Evaluation, names: dict[str, str]) -> Chart:
    rows = ev.stock
    if not rows:
        return _empty(_("Days of blank stock left"))
    left = [s.days_left for s in rows]
    top = max([d for d in left if d is not None] + [30]) * 1.2
    return charts.hbars(
        _("Days of blank stock left at the current rate"),
        [names.get(s.office_code, s.office_code) for s in rows], left,
        [_("not in use") if d is None else formatting.count(d) for d in left], maximum=top,
        colours=[charts.SERIES[3] if d is not None and d < 30 else charts.SERIES[0]
                 for d in left], label_width=250)


def _empty(title: str) -> Chart:
    return charts.hbars(title, [_("no data")], [None], [""], maximum=1)


def all_charts(ev: Evaluation, names: dict[str, str]) -> dict[str, Chart]:
    return {
        "elements": elements(ev.survey.overall),
        "trend": trend(ev),
        "offices": by_office(ev, names),
        "volumes": volumes(ev),
        "lead_times": lead_times(ev, names),
        "reprints": reprints(ev),
        "uptime": uptime(ev),
        "stock": stock(ev, names),
    }
