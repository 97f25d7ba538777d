"""KTP applications at the counter: taking one (eligibility shown, reprint evidence asked for),
the worklists, the application with its timeline, and a supervisor's verification."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import applications, cards, counter
from registry.errors import ConflictError, InvalidRecordError
from registry.models import OPERATOR, PHOTO, SUPERVISOR, Application, ResidentImage
from registry.models.issuance import (
    DIAJUKAN,
    DICETAK,
    DISERAHKAN,
    DITOLAK,
    DIVERIFIKASI,
    GAGAL_CETAK,
)

from ..database import db
from . import labels, photo_checks
from .access import me, require_area, requires
from .application_forms import ApplyForm, RejectForm
from .notes import note_text
from .pages import blueprint, id_arg
from .print_status import fault_text
from .residents import check_resident

bp = blueprint("applications", __name__)
LISTS = {
    "verify": (DIAJUKAN,),
    "print": (DIVERIFIKASI, GAGAL_CETAK),
    "handover": (DICETAK,),
    "done": (DISERAHKAN,),
    "rejected": (DITOLAK,),
}
LIST_TITLES = {
    "verify": _l("Waiting for verification"),
    "print": _l("Ready to print"),
    "handover": _l("Printed, waiting for handover"),
    "done": _l("Handed over"),
    "rejected": _l("Rejected"),
    "all": _l("All applications"),
}


def load(session: Any, application_id: int) -> Application:
    """The application, if the clerk's office serves its resident."""
    application = applications.get(session, application_id)
    require_area(application.resident.desa_code, "application", str(application_id))
    return application


@bp.get("/applications")
def index():
    shown = request.args.get("list", "verify")
    shown = shown if shown in LIST_TITLES else "verify"
    before = id_arg("before")
    with db().read() as session:
        items = counter.listing(session, me().office_code, LISTS.get(shown), before_id=before,
                                limit=50)
        return render_template("applications/index.html", items=items, shown=shown,
                               titles=LIST_TITLES, before=before)


@bp.route("/residents/<nik>/apply", methods=["GET", "POST"])
@requires(OPERATOR, action=_l("take applications"))
def new(nik: str):
    form = ApplyForm()
    problems: list[str] = []
    with db().read() as session:
        resident = check_resident(session, nik)
        existing = applications.open_for(session, resident.id)
        if existing is not None:
            flash(_("This resident already has an open application."), "info")
            return redirect(url_for("applications.show", application_id=existing.id))
        previous = cards.latest(session, resident.id)
        changed = applications.changes_since(previous, resident) if previous else {}
        ineligible = applications.eligibility(resident)
    if form.validate_on_submit() and not ineligible:
        evidence = form.evidence() if previous else {}
        try:
            with db().write() as session:
                application = applications.submit(session, me().actor,
                                                  check_resident(session, nik),
                                                  me().office_code, **evidence)
                application_id = application.id
        except InvalidRecordError as exc:
            problems = _place(form, exc.errors)
        except ConflictError as exc:
            problems = [str(exc)]
        else:
            flash(_("Application #%(id)d is taken. Next: photo and signature.",
                    id=application_id), "success")
            return redirect(url_for("capture.show", application_id=application_id))
    return render_template("applications/new.html", form=form, resident=resident,
                           previous=previous, changed=changed, ineligible=ineligible,
                           problems=problems)


def _place(form: ApplyForm, errors: dict[str, list[str]]) -> list[str]:
    unplaced = []
    for name, reasons in errors.items():
        texts = [labels.reason_text(r) for r in reasons]
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors") and name != "resident":
            field.errors = [*field.errors, *texts]
        else:
            unplaced.extend(texts)
    return unplaced


def timeline(application: Application, attempts: list[Any]) -> list[dict[str, Any]]:
    """Every state change and every print attempt, oldest first, in the clerk's language.

    A failed print's step says what went wrong by its code; its state change carries the
    printer's English message, which is left out (the print page keeps it as a detail)."""
    steps = [{"at": e.at, "who": e.actor, "state": e.to_state, "fault": False,
              "note": None if e.to_state == GAGAL_CETAK else note_text(e.note, e.to_state)}
             for e in application.events]
    for attempt in attempts:
        if attempt.state in ("failed", "held"):
            note = _("Print attempt on %(printer)s: %(error)s", printer=attempt.printer.name,
                     error=fault_text(attempt.error_code, attempt.error_message))
            if attempt.card_consumed:
                note += " " + _("(the blank card was spoiled and recorded)")
            steps.append({"at": attempt.finished_at or attempt.started_at, "who": attempt.actor,
                          "state": None, "note": note, "fault": True})
    return sorted(steps, key=lambda s: s["at"])


def _last_failure(application: Application, attempts: list[Any]) -> str | None:
    """Why the last print failed, for an application left GAGAL CETAK."""
    if application.state != GAGAL_CETAK:
        return None
    failed = [a for a in attempts if a.state == "failed"]
    if failed:
        return fault_text(failed[-1].error_code, application.failure_reason)
    return application.failure_reason


def _photo_doubts(session: Any, application: Application) -> list[str]:
    """The photo checks' doubts about the application's photo, for the supervisor."""
    if application.photo_id is None:
        return []
    return photo_checks.for_verification(
        applications.image_warnings(session, application, PHOTO),
        session.get(ResidentImage, application.photo_id), application.resident)


@bp.get("/applications/<int:application_id>")
def show(application_id: int):
    with db().read() as session:
        application = load(session, application_id)
        attempts = counter.attempts_for(session, application_id)
        return render_template(
            "applications/show.html", a=application, resident=application.resident,
            card=applications.card_of(session, application),
            steps=timeline(application, attempts), reject_form=RejectForm(),
            own=application.created_by == me().username,
            failure=_last_failure(application, attempts),
            photo_doubts=_photo_doubts(session, application))


@bp.post("/applications/<int:application_id>/verify")
@requires(SUPERVISOR, action=_l("verify applications"))
def verify(application_id: int):
    with db().write() as session:
        applications.verify(session, me().actor, load(session, application_id))
    flash(_("Application #%(id)d is verified: it can be printed.", id=application_id), "success")
    return redirect(url_for("applications.show", application_id=application_id))


@bp.post("/applications/<int:application_id>/reject")
@requires(SUPERVISOR, action=_l("reject applications"))
def reject(application_id: int):
    form = RejectForm()
    if not form.validate_on_submit():
        flash(_("Say why the application is rejected."), "error")
        return redirect(url_for("applications.show", application_id=application_id))
    with db().write() as session:
        applications.reject(session, me().actor, load(session, application_id),
                            form.reason.data)
    flash(_("Application #%(id)d is rejected.", id=application_id), "info")
    return redirect(url_for("applications.show", application_id=application_id))
