"""The evaluation as data: CSV tables, the anonymous responses as CSV, a JSON summary, and the
annual report PDF. Same filters as the dashboard; a bearer token works as well as a session."""

from __future__ import annotations

import io
import json
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from flask_babel import gettext as _

from registry import audit, periods, survey
from registry.errors import InvalidRecordError
from registry.evaluation import Evaluation, evaluate

from ..database import db
from . import access, exports, filters, report, settings, wording

bp = Blueprint("evaluation_data", __name__)
bp.before_request(access.authenticate)
access.register_denials(bp)


@bp.errorhandler(InvalidRecordError)
def _invalid(exc: InvalidRecordError):
    return jsonify(code=422, message=str(exc), errors=exc.errors), 422


def _evaluate() -> tuple[filters.Selection, Evaluation]:
    access.require_overseer()
    selection, problems = filters.read(request.args, settings.today())
    if problems:
        raise InvalidRecordError(problems)
    with db().read() as session:
        ev = evaluate(session, selection.offices, selection.period, tz=settings.timezone(),
                      window_days=settings.setting("STOCK_WINDOW_DAYS"))
    return selection, ev


def _audit(action: str, key: str, selection: filters.Selection) -> None:
    with db().write() as session:
        audit.record(session, access.principal().actor, action, "evaluation", key,
                     {"period": [None, selection.period.label()],
                      "office": [None, selection.office]})


def _csv(name: str, text: str) -> Response:
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@bp.get("/evaluation/export/<dataset>.csv")
def export(dataset: str):
    if dataset not in exports.DATASETS and dataset != "responses":
        abort(404)
    selection, ev = _evaluate()
    out = io.StringIO()
    if dataset == "responses":
        with db().read() as session:
            rows = survey.responses(session, selection.offices, selection.period)
        exports.write_rows(out, exports.responses(rows))
    else:
        exports.write(out, dataset, ev, access.office_names(selection.offices))
    _audit("evaluation.export", dataset, selection)
    return _csv(f"{dataset}-{selection.period.label()}", out.getvalue())


def _result(result) -> dict[str, Any]:
    def exact(value):
        return None if value is None else {"numerator": value.numerator,
                                           "denominator": value.denominator}

    return {
        "respondents": result.respondents,
        "index": exports.fixed(result.index, 6) or None,
        "score": exports.fixed(result.converted, 2) or None,
        "grade": result.grade.letter if result.grade else None,
        "score_exact": exact(result.converted),
        "elements": [{"element": e.element.key, "name": e.element.name, "answers": e.answers,
                      "sum": e.total, "nrr": exports.fixed(e.nrr, 6) or None,
                      "score": exports.fixed(e.converted, 2) or None,
                      "grade": e.grade.letter if e.grade else None} for e in result.elements],
    }


@bp.get("/evaluation/data.json")
def summary():
    selection, ev = _evaluate()
    sv, totals, lead = ev.survey, ev.totals, ev.lead_overall
    body = {
        "period": {"label": selection.period.label(), "start": selection.period.start,
                   "end": selection.period.end},
        "offices": selection.offices,
        "skm": {**_result(sv.overall), "served": sv.served_total,
                "sample_needed": sv.required, "by_channel": sv.by_channel,
                "previous": _result(sv.previous),
                "by_office": {o: _result(r) for o, r in sv.by_office.items()}},
        "volumes": {"received": totals.received, "printed": totals.printed,
                    "handed_over": totals.handed_over,
                    "by_office": {o: vars(c) for o, c in ev.by_office.items()}},
        "lead_time_days": {"handovers": lead.count,
                           "median": exports.days(lead.median) or None,
                           "p90": exports.days(lead.p90) or None},
        "reprints": ev.reprint_totals,
        "printers": [{"name": p.name, "attempts": p.attempts, "failed": p.failed,
                      "spoiled": p.spoiled, "uptime": exports.fixed(p.uptime.ratio, 4) or None}
                     for p in ev.printers],
        "stock": [{"office": s.office_code, "closing": s.closing, "days_left": s.days_left}
                  for s in ev.stock],
        "generated_at": ev.generated_at,
    }
    return Response(json.dumps(body, default=str, ensure_ascii=False),
                    mimetype="application/json")


def _year() -> int:
    """The ``year`` asked for (this year when none), or a 400 that names it."""
    text = (request.args.get("year") or "").strip()
    if not text:
        return settings.today().year
    if text.isascii() and text.isdigit() and periods.FIRST_YEAR <= int(text) <= periods.LAST_YEAR:
        return int(text)
    problem = _("%(field)s: write a year from %(first)s to %(last)s, such as %(example)s.",
                field="year", first=periods.FIRST_YEAR, last=periods.LAST_YEAR,
                example=settings.today().year)
    refusal = jsonify(code=400, message=problem, errors={"year": [problem]})
    refusal.status_code = 400
    abort(refusal)


@bp.get("/evaluation/report.pdf")
def annual_report():
    access.require_overseer()
    year = _year()
    args = {"period": str(year)}
    if office := request.args.get("office"):
        args["office"] = office
    selection, _problems = filters.read(args, settings.today())
    with db().read() as session:
        ev = evaluate(session, selection.offices, selection.period, tz=settings.timezone(),
                      window_days=settings.setting("STOCK_WINDOW_DAYS"))
    names = access.office_names(access.visible_offices())
    scope = names.get(selection.office) if selection.office else _(
        "%(office)s and the offices in its region",
        office=names.get(access.principal().office_code, access.principal().office_code))
    pdf = report.render(ev, names, scope=scope or str(wording.ALL_OFFICES),
                        author=access.principal().username)
    _audit("evaluation.report", str(year), selection)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="evaluasi-ktp-{year}.pdf"'})
