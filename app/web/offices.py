"""Service offices, for administrators: the offices of their area, their clerks, printers and
blank cards, and adding an office for a region code."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from registry import offices, printers, stock, users
from registry.errors import ConflictError, InvalidRecordError
from registry.models import ADMIN

from ..database import db
from .access import me, require_area, requires
from .choices import options
from .labels import reason_text
from .pages import blueprint

bp = blueprint("offices", __name__)


def office_options() -> list:
    """The offices of the signed-in admin's area, as options of an office field."""
    with db().read() as session:
        return options((o.code, f"{o.name} ({o.code})")
                       for o in offices.within(session, me().office_code))


class OfficeForm(FlaskForm):
    code = StringField(_l("Region code"), validators=[
        DataRequired(), Regexp(r"^\d{2}(\.\d{2}){0,2}(\.\d{4})?$",
                               message=_l("a region code like 33.14.10 or 33.14.10.2007"))])
    name = StringField(_l("Name (empty: the usual name of the region's office)"),
                       validators=[Length(max=120)])


@bp.route("/admin/offices", methods=["GET", "POST"])
@requires(ADMIN, action=_l("manage offices"))
def index():
    form = OfficeForm()
    if form.validate_on_submit():
        code = form.code.data.strip()
        require_area(code, "office", code)
        try:
            with db().write() as session:
                office = offices.add(session, me().actor, code, form.name.data)
                name = office.name
        except InvalidRecordError as exc:
            form.code.errors = [reason_text(r) for reasons in exc.errors.values() for r in reasons]
        except ConflictError:
            form.code.errors = [_("This office exists already.")]
        else:
            flash(_("Office %(name)s (%(code)s) is added.", name=name, code=code), "success")
            return redirect(url_for("offices.index"))
    with db().read() as session:
        rows = []
        clerks = users.listed(session, me().office_code)
        machines = printers.listed(session, me().office_code)
        for office in offices.within(session, me().office_code):
            rows.append({"office": office,
                         "users": sum(1 for u in clerks if u.office_code == office.code),
                         "printers": sum(1 for p in machines if p.office_code == office.code),
                         "stock": stock.balance(session, office.code)})
    return render_template("admin/offices.html", form=form, rows=rows)
