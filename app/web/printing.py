"""Printing a verified application's card at the counter: choose a printer, see the card,
follow the print live, print again after a fault, and settle prints only a person can judge.

Blanks are taken from the stock of the office where the printer stands. When that office has
no blank for this application (first-time applicants go first), the page says the application
waits in the owed-prints queue instead of sending it to the printer.
"""

from __future__ import annotations

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

import printing
from registry import counter, images
from registry.errors import ConflictError, NotFoundError
from registry.models import (
    OPERATOR,
    PHOTO,
    SIGNATURE,
    Application,
    PrintAttempt,
    Printer,
    ResidentImage,
)

from .. import issuance
from .. import printers as configured
from ..cards import CardSources, card_data
from ..database import db
from .access import deny, me, requires
from .applications import load
from .pages import blueprint
from .print_jobs import jobs
from .print_status import printer_summary, status_of
from .printer_access import usable_printers, visible_printer

bp = blueprint("printing", __name__)
PRINTABLE = ("DIVERIFIKASI", "GAGAL CETAK")


def stock_office(printer: Printer) -> str:
    """Blanks come from the office the printer stands in (the clerk's, if it has none)."""
    return printer.office_code or me().office_code


def _sources(session: Session, application: Application) -> CardSources:
    """The photo and signature captured for this application (else the latest ones)."""
    def image(image_id: int | None, kind: str) -> ResidentImage | None:
        if image_id is None:
            return images.current(session, application.resident_id, kind)
        return session.get(ResidentImage, image_id)
    return CardSources(image(application.photo_id, PHOTO),
                       image(application.signature_id, SIGNATURE))


def _problem(session: Session, application: Application) -> str | None:
    """Why the card cannot be drawn (a value that does not fit, a missing glyph), if so."""
    try:
        printing.plan_card(card_data(session, application.resident,
                                     sources=_sources(session, application)))
    except printing.PrintingError as exc:
        return str(exc)
    return None


@bp.get("/applications/<int:application_id>/print")
@requires(OPERATOR, action=_l("print cards"))
def show(application_id: int):
    with db().read() as session:
        application = load(session, application_id)
        attempt = counter.latest_attempt(session, application_id)
        choices = []
        for printer in usable_printers(session):
            office = stock_office(printer)
            choices.append({"printer": printer, "office": office,
                            "place": counter.queue_place(session, application, office)})
        return render_template(
            "printing/show.html", a=application, resident=application.resident,
            choices=choices, attempt=attempt, problem=_problem(session, application),
            status=status_of(application, attempt, jobs()), printable=PRINTABLE)


@bp.get("/applications/<int:application_id>/card.png")
@requires(OPERATOR, action=_l("print cards"))
def preview(application_id: int):
    with db().read() as session:
        application = load(session, application_id)
        card = card_data(session, application.resident, sources=_sources(session, application))
    try:
        content = printing.render_png(card)  # 300 dpi: exactly what the printer gets
    except printing.PrintingError as exc:
        return Response(str(exc), status=422, mimetype="text/plain")
    return Response(content, mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.post("/applications/<int:application_id>/print")
@requires(OPERATOR, action=_l("print cards"))
def start(application_id: int):
    back = redirect(url_for("printing.show", application_id=application_id))
    with db().read() as session:
        application = load(session, application_id)
        try:
            printer = visible_printer(session, request.form.get("printer", "").strip())
        except NotFoundError:
            # none chosen, or removed since the page was shown: choose again on the same page
            # (it was a 404 page that left the clerk no way back to the print form)
            flash(_("Choose one of the printers shown."), "error")
            return back
        if application.state not in PRINTABLE:
            flash(_("Only a verified application (or one whose print failed) is printed."),
                  "error")
            return back
        if not printer.enabled:
            flash(_("Printer %(name)s is switched off in the administration.",
                    name=printer.name), "error")
            return back
        office = stock_office(printer)
        place = counter.queue_place(session, application, office)
        nik, name = application.resident.nik, printer.name
    if not place.blank_for_it:
        flash(_("No blank card for this application at office %(office)s: it waits in the "
                "owed-prints queue (place %(position)d of %(waiting)d, first-time applicants "
                "first; %(available)d blank(s) available).", office=office,
                position=place.position, waiting=place.waiting, available=place.available),
              "warning")
        return back
    if not jobs().start(me().actor, application_id, nik, name, office):
        flash(_("This card is already being printed."), "info")
    return back


@bp.get("/applications/<int:application_id>/print/status")
@requires(OPERATOR, action=_l("print cards"))
def status(application_id: int):
    with db().read() as session:
        application = load(session, application_id)
        attempt = counter.latest_attempt(session, application_id)
        return jsonify(status_of(application, attempt, jobs()))


def _attempt(session: Session, attempt_id: int) -> PrintAttempt:
    attempt = session.get(PrintAttempt, attempt_id)
    if attempt is None or attempt.source != counter.SOURCE:
        deny(_l("No counter print %(id)d.", id=attempt_id), "print attempt", str(attempt_id))
    load(session, attempt.source_id)
    return attempt


@bp.post("/print-attempts/<int:attempt_id>/resolve")
@requires(OPERATOR, action=_l("print cards"))
def resolve(attempt_id: int):
    finding = request.form.get("finding", "")
    with db().read() as session:
        attempt = _attempt(session, attempt_id)
        application_id, state = attempt.source_id, attempt.state
    if state != "held" or finding not in issuance.HELD_FINDINGS:
        raise ConflictError(f"print attempt {attempt_id} is {state}: nothing to resolve")
    outcome = issuance.resolve_held(db(), me().actor, attempt_id, finding)
    flash(_("Recorded: the card came out.") if outcome.printed
          else _("Recorded. The application can be printed again."), "success")
    return redirect(url_for("printing.show", application_id=application_id))


@bp.post("/print-attempts/<int:attempt_id>/settle")
@requires(OPERATOR, action=_l("print cards"))
def settle(attempt_id: int):
    with db().read() as session:
        attempt = _attempt(session, attempt_id)
        application_id, state = attempt.source_id, attempt.state
    if state != "printing" or jobs().running(application_id):
        raise ConflictError(f"print attempt {attempt_id} is {state}: nothing to settle")
    outcome = issuance.settle(db(), me().actor, attempt_id)
    if outcome.printed:
        flash(_("Settled: the printer's counter shows the card came out."), "success")
    elif outcome.held:
        flash(_("The printer cannot tell: look in the output tray and record what you find."),
              "warning")
    else:
        flash(_("Settled: no card came out. The application can be printed again."), "info")
    return redirect(url_for("printing.show", application_id=application_id))


@bp.get("/printers/<name>/status")
@requires(OPERATOR, action=_l("print cards"))
def printer_status(name: str):
    """A printer's own state (not asked while it prints: a card inside would read as a jam)."""
    with db().read() as session:
        printer = visible_printer(session, name)
        uri, busy = printer.uri, bool(counter.printing_on(session, printer.id))
    if busy:
        return jsonify(state="printing", label=_("Printing"), ready=False, reason=None,
                       action=None)
    probed, _identity = configured.probe(uri)
    return jsonify(printer_summary(probed))
