"""The survey kiosk: a tablet at the counter where a resident, after a handover, types the
one-time code and rates the nine SKM elements. Public (no staff sign-in), so only a valid,
unused code opens the questionnaire, and wrong guesses are throttled per address."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry import survey
from registry.errors import InvalidRecordError
from registry.models.survey import SCORE_COLUMNS
from registry.survey_codes import SurveyCodeError

from ..database import db
from . import settings, wording
from .throttle import Throttle

bp = Blueprint("kiosk", __name__, template_folder="templates",
               static_folder="static", static_url_path="/survei/static")


def throttle() -> Throttle:
    found = current_app.extensions.get("ktp.survey_throttle")
    if found is None:
        found = current_app.extensions["ktp.survey_throttle"] = Throttle(
            settings.setting("SURVEY_KIOSK_MAX_FAILURES"),
            settings.setting("SURVEY_KIOSK_WINDOW_SECONDS"))
    return found


def _address() -> str:
    return request.remote_addr or "unknown"


def code_message(exc: SurveyCodeError) -> str:
    return {
        "malformed": _("A survey code has 8 letters and digits, like ABCD-1234."),
        "unknown": _("This code is not known. Check it, or ask the counter staff."),
        "used": _("This code has been used already: each card handover can answer once. "
                  "Thank you!"),
        "expired": _("This code has expired: codes are valid for %(days)s days.",
                     days=settings.setting("SURVEY_CODE_VALID_DAYS")),
    }.get(exc.reason, str(exc))


def _locked() -> str | None:
    wait = throttle().wait_seconds(_address())
    if not wait:
        return None
    return _("Too many wrong codes. Please ask the counter staff, or try again in %(minutes)s "
             "minutes.", minutes=max(1, (wait + 59) // 60))


def _start(error: str | None = None, code: str = "", status: int = 200):
    return render_template("evaluation/kiosk/start.html", error=error, code=code), status


@bp.get("/survei")
def start():
    return _start(_locked())


@bp.post("/survei")
def enter_code():
    code = request.form.get("code", "")[:40]
    if locked := _locked():
        return _start(locked, code, 429)
    try:
        with db().read() as session:
            survey.check(session, code, key=settings.survey_key(), today=settings.today())
    except SurveyCodeError as exc:
        throttle().failed(_address())
        return _start(code_message(exc), code, 422)
    return _questions(code)


def _questions(code: str, answers: dict[str, Any] | None = None,
               errors: dict[str, list[str]] | None = None, status: int = 200):
    return render_template("evaluation/kiosk/questions.html", code=code,
                           questions=wording.QUESTIONS, answers=answers or {},
                           errors=errors or {}), status


def _read_answers() -> survey.Answers:
    scores = []
    for column in SCORE_COLUMNS:
        value = request.form.get(column, "")
        scores.append(int(value) if value in ("1", "2", "3", "4") else None)
    comment = request.form.get("comment", "").strip()[:survey.COMMENT_MAX] or None
    return survey.Answers(tuple(scores), comment)


@bp.post("/survei/jawab")
def submit():
    code = request.form.get("code", "")[:40]
    answers = _read_answers()
    if locked := _locked():
        return _start(locked, "", 429)
    try:
        with db().write() as session:
            survey.answer_at_kiosk(session, code, answers, key=settings.survey_key(),
                                   today=settings.today())
    except InvalidRecordError as exc:
        filled = dict(zip(SCORE_COLUMNS, answers.scores, strict=True))
        filled["comment"] = answers.comment or ""
        return _questions(code, filled, exc.errors, 422)
    except SurveyCodeError as exc:
        throttle().failed(_address())
        return _start(code_message(exc), "", 422)
    throttle().succeeded(_address())
    return redirect(url_for("kiosk.thanks"))


@bp.get("/survei/terima-kasih")
def thanks():
    return render_template("evaluation/kiosk/thanks.html",
                           seconds=settings.setting("SURVEY_KIOSK_RESET_SECONDS"))
