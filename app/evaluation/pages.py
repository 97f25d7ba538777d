"""Staff pages: the evaluation dashboard and the survey responses (supervisors and admins), and
typing in paper survey forms (clerks too)."""

from __future__ import annotations

import datetime as dt

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry import survey
from registry.errors import InvalidRecordError
from registry.evaluation import evaluate
from registry.models.survey import SCORE_COLUMNS
from registry.survey_codes import SurveyCodeError

from ..database import db
from ..web.access import safe_next
from ..web.pages import blueprint
from . import access, charts, chartsets, filters, paper_forms, report_tables, settings, wording
from .kiosk import code_message

bp = blueprint("evaluation", __name__, template_folder="templates")
MAX_FORMS = 500
access.register_denials(bp)


def _selection() -> filters.Selection:
    """The filters asked for; what could not be understood is explained above the page."""
    selection, problems = filters.read(request.args, settings.today())
    for messages in problems.values():
        for problem in messages:
            flash(problem, "error")
    return selection


@bp.get("/evaluation")
def dashboard():
    access.require_overseer()
    selection = _selection()
    names = access.office_names(access.visible_offices())
    with db().read() as session:
        ev = evaluate(session, selection.offices, selection.period, tz=settings.timezone(),
                      window_days=settings.setting("STOCK_WINDOW_DAYS"))
    images = {name: (charts.data_uri(chart), chart.caption)
              for name, chart in chartsets.all_charts(ev, names).items()}
    return render_template(
        "evaluation/dashboard.html", ev=ev, names=names, selection=selection, images=images,
        stock_rows=report_tables.stock(ev, names),
        presets=filters.presets(settings.today()), wording=wording,
        years=range(settings.today().year, settings.today().year - 6, -1))


@bp.get("/evaluation/responses")
def responses():
    access.require_overseer()
    selection = _selection()
    show_voided = request.args.get("voided") == "1"
    with db().read() as session:
        rows = survey.responses(session, selection.offices, selection.period,
                                voided=show_voided, limit=500)
    return render_template("evaluation/responses.html", rows=rows, selection=selection,
                           names=access.office_names(access.visible_offices()),
                           presets=filters.presets(settings.today()), show_voided=show_voided,
                           wording=wording)


@bp.post("/evaluation/responses/<response_id>/void")
def void(response_id: str):
    access.require_overseer()
    with db().read() as session:
        office = survey.get_response(session, response_id).office_code
    access.require_office(office)
    with db().write() as session:
        survey.void(session, access.principal().actor, survey.get_response(session, response_id),
                    request.form.get("reason", ""))
    flash(_("The response was voided: it no longer counts in any figure."), "success")
    return redirect(safe_next(request.form.get("back")) or url_for("evaluation.responses"))


@bp.route("/evaluation/paper", methods=["GET", "POST"])
def paper():
    access.require_clerk()
    mine = access.visible_offices()
    form = {"office": request.form.get("office") or access.principal().office_code,
            "day": request.form.get("day") or settings.today().isoformat(),
            "serial": request.form.get("serial", "").strip(),
            "code": request.form.get("code", "").strip(),
            "comment": request.form.get("comment", "").strip()}
    scores = [request.form.get(c, "") for c in SCORE_COLUMNS]
    errors = _enter(form, scores) if request.method == "POST" else {}
    if request.method == "POST" and not errors:
        flash(_("Paper form %(serial)s is entered.", serial=form["serial"].upper()), "success")
        return redirect(url_for("evaluation.paper", office=form["office"]))
    return render_template("evaluation/paper.html", form=form, scores=scores, errors=errors,
                           offices=mine, names=access.office_names(mine),
                           questions=wording.QUESTIONS), (422 if errors else 200)


@bp.get("/evaluation/paper/forms.pdf")
def blank_forms():
    """Numbered blank questionnaires to print for an office."""
    access.require_clerk()
    office = request.args.get("office") or access.principal().office_code
    access.require_office(office)
    first = max(1, request.args.get("first", 1, type=int) or 1)
    count = min(max(1, request.args.get("count", 20, type=int) or 20), MAX_FORMS)
    year = settings.today().year
    name = access.office_names([office]).get(office, office)
    pdf = paper_forms.render(office, name, year, first, count)
    last = paper_forms.serial(office, year, first + count - 1)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{last}.pdf"'})


def _field_message(field: str) -> str:
    """What the registry refused in a field, in the clerk's language."""
    if field in SCORE_COLUMNS:
        return _("Answers are 1 to 4.")
    return {
        "paper_serial": _("Type the serial number printed on the form."),
        "day": _("The form cannot be dated in the future."),
        "scores": _("Answer at least one question."),
        "comment": _("At most %(n)s characters.", n=survey.COMMENT_MAX),
    }.get(field, _("Please correct the marked fields."))


def _enter(form: dict[str, str], scores: list[str]) -> dict[str, list[str]]:
    """Save the form; the errors by field when it cannot be saved."""
    access.require_office(form["office"])
    try:
        day = dt.date.fromisoformat(form["day"])
    except ValueError:
        return {"day": [_("Dates are written YYYY-MM-DD.")]}
    answers = survey.Answers(
        tuple(int(s) if s in ("1", "2", "3", "4") else None for s in scores),
        form["comment"][:survey.COMMENT_MAX] or None)
    try:
        with db().write() as session:
            survey.enter_paper(session, access.principal().actor, office_code=form["office"],
                               day=day, serial=form["serial"], answers=answers,
                               key=settings.survey_key(), today=settings.today(),
                               code=form["code"] or None)
    except InvalidRecordError as exc:
        return {field: [_field_message(field)] for field in exc.errors}
    except survey.PaperFormTakenError as exc:
        return {"paper_serial": [_("Form %(serial)s of this office is entered already.",
                                   serial=exc.serial)]}
    except SurveyCodeError as exc:
        return {"code": [code_message(exc)]}
    return {}
