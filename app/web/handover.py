"""Handing the printed card over (serah terima): who received it and when; the previous card
becomes invalid in the same transaction (the registry does it), and the resident gets the
one-time code of the service survey when the evaluation feature issues one."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import applications, cards
from registry.models import OPERATOR
from registry.models.issuance import DICETAK

from .. import evaluation
from ..database import db
from .access import me, requires
from .application_forms import HandoverForm
from .applications import load
from .pages import blueprint

bp = blueprint("handover", __name__)
SURVEY_CODES = "survey_codes"  # application id -> code, shown once on the receipt


@bp.route("/applications/<int:application_id>/handover", methods=["GET", "POST"])
@requires(OPERATOR, action=_l("hand cards over"))
def form(application_id: int):
    handover = HandoverForm()
    with db().read() as s:
        application = load(s, application_id)
        if application.state != DICETAK:
            flash(_("Only a printed card is handed over."), "info")
            return redirect(url_for("applications.show", application_id=application_id))
        if not handover.is_submitted():
            handover.received_by.data = application.resident.nama
    if handover.validate_on_submit():
        with db().write() as s:
            card = applications.hand_over(s, me().actor, load(s, application_id),
                                          handover.received_by.data)
            code = evaluation.on_handover(s, me().actor, card)
        if code:
            session.setdefault(SURVEY_CODES, {})[str(application_id)] = code
            session.modified = True
        flash(_("The card is handed over to %(who)s.", who=handover.received_by.data.strip()),
              "success")
        return redirect(url_for("handover.receipt", application_id=application_id))
    with db().read() as s:
        application = load(s, application_id)
        card = applications.card_of(s, application)
        replaced = [c for c in cards.history(s, application.resident_id)
                    if c.id != card.id and c.state in ("DICETAK", "AKTIF")]
        return render_template("applications/handover.html", a=application, card=card,
                               resident=application.resident, replaced=replaced,
                               form=handover)


@bp.get("/applications/<int:application_id>/receipt")
def receipt(application_id: int):
    with db().read() as s:
        application = load(s, application_id)
        card = applications.card_of(s, application)
        code = session.get(SURVEY_CODES, {}).pop(str(application_id), None)
        if code is not None:
            session.modified = True
        return render_template("applications/receipt.html", a=application, card=card,
                               resident=application.resident, survey_code=code)
