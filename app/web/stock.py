"""Blank cards (blangko) per office: the balance, the owed-prints queue, the ledger, and the
movements a clerk records: deliveries received, spoiled blanks, returns, transfers.

Every count is the registry's (`registry.stock`): it never goes negative, and a print reserves
its blank before anything is sent to a printer.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registry import counter, offices, stock
from registry.models import OPERATOR, SUPERVISOR

from ..database import db
from .access import me, require_area, require_role
from .choices import options
from .pages import blueprint

bp = blueprint("stock", __name__)


# The four forms share one page and field names: each field gets an id of its own, so every
# label points at its own field.
class ReceiveForm(FlaskForm):
    quantity = IntegerField(_l("Blank cards received"), id="receive-quantity",
                            validators=[DataRequired(), NumberRange(1, 100_000)])
    reference = StringField(_l("Delivery note number"), id="receive-reference",
                            validators=[Optional(), Length(max=80)])


class SpoilForm(FlaskForm):
    reason = StringField(_l("Why is the blank spoiled?"), id="spoil-reason",
                         validators=[DataRequired(), Length(max=300)])


class ReturnForm(FlaskForm):
    quantity = IntegerField(_l("Blank cards returned"), id="return-quantity",
                            validators=[DataRequired(), NumberRange(1, 100_000)])
    reason = StringField(_l("Returned to whom, and why"), id="return-reason",
                         validators=[DataRequired(), Length(max=300)])


class TransferForm(FlaskForm):
    to_office = SelectField(_l("To office"), id="transfer-to-office",
                            validators=[DataRequired()])
    quantity = IntegerField(_l("Blank cards"), id="transfer-quantity",
                            validators=[DataRequired(), NumberRange(1, 100_000)])
    reason = StringField(_l("Note"), id="transfer-reason", validators=[Optional(), Length(max=300)])


def _office() -> str:
    code = request.args.get("office") or request.form.get("office") or me().office_code
    require_area(code, "office", code)
    return code


@bp.get("/stock")
def index():
    office = _office()
    with db().read() as session:
        everywhere = offices.all_offices(session)
        transfer = TransferForm()
        nearby = sorted((o for o in everywhere if o.code != office),
                        key=lambda o: (not me().serves(o.code), o.code))  # own area first
        transfer.to_office.choices = options((o.code, f"{o.name} ({o.code})") for o in nearby)
        return render_template(
            "stock/index.html", office=offices.get(session, office),
            mine=[o for o in everywhere if me().serves(o.code)],
            balance=stock.balance(session, office), ledger=stock.ledger(session, office, 100),
            queue=counter.print_queue(session, office, limit=100),
            receive=ReceiveForm(), spoil=SpoilForm(), give_back=ReturnForm(), transfer=transfer)


def _done(office: str, message: str):
    flash(message, "success")
    return redirect(url_for("stock.index", office=office))


def _refused(office: str, form: FlaskForm):
    for field, errors in form.errors.items():
        label = getattr(form, field).label.text if hasattr(form, field) else field
        flash(f"{label}: {', '.join(errors)}", "error")
    return redirect(url_for("stock.index", office=office))


def _out_of_stock(office: str, exc: stock.OutOfStockError):
    flash(_("Not enough blank cards at office %(office)s: %(available)d available, %(wanted)d "
            "needed.", office=office, available=exc.available, wanted=exc.wanted), "error")
    return redirect(url_for("stock.index", office=office))


@bp.post("/stock/receive")
def receive():
    require_role(SUPERVISOR, action=_l("receive blank cards"))
    office, form = _office(), ReceiveForm()
    if not form.validate_on_submit():
        return _refused(office, form)
    with db().write() as session:
        stock.receive(session, me().actor, office, form.quantity.data,
                      reference=form.reference.data or None)
    return _done(office, _("%(n)d blank card(s) received.", n=form.quantity.data))


@bp.post("/stock/spoil")
def spoil():
    require_role(OPERATOR, SUPERVISOR, action=_l("record spoiled blank cards"))
    office, form = _office(), SpoilForm()
    if not form.validate_on_submit():
        return _refused(office, form)
    try:
        with db().write() as session:
            stock.spoil(session, me().actor, office, form.reason.data)
    except stock.OutOfStockError as exc:
        return _out_of_stock(office, exc)
    return _done(office, _("One spoiled blank card is recorded."))


@bp.post("/stock/return")
def give_back():
    require_role(SUPERVISOR, action=_l("return blank cards"))
    office, form = _office(), ReturnForm()
    if not form.validate_on_submit():
        return _refused(office, form)
    try:
        with db().write() as session:
            stock.give_back(session, me().actor, office, form.quantity.data, form.reason.data)
    except stock.OutOfStockError as exc:
        return _out_of_stock(office, exc)
    return _done(office, _("%(n)d blank card(s) returned.", n=form.quantity.data))


@bp.post("/stock/transfer")
def transfer():
    require_role(SUPERVISOR, action=_l("transfer blank cards"))
    office, form = _office(), TransferForm()
    with db().read() as session:
        form.to_office.choices = options(o.code for o in offices.all_offices(session))
    if not form.validate_on_submit():
        return _refused(office, form)
    try:
        with db().write() as session:
            stock.transfer(session, me().actor, office, form.to_office.data, form.quantity.data,
                           form.reason.data or None)
    except stock.OutOfStockError as exc:
        return _out_of_stock(office, exc)
    return _done(office, _("%(n)d blank card(s) sent to office %(to)s.", n=form.quantity.data,
                           to=form.to_office.data))
