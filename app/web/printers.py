"""Card printers, for administrators: add one by its driver address (checked before it is
saved), see what it says of itself and its recent faults, take it out of use."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

import drivers
from registry import counter, printers
from registry.errors import ConflictError, InvalidRecordError
from registry.models import ADMIN

from .. import printers as configured
from ..database import db
from .access import me, require_area, requires
from .labels import reason_text
from .offices import office_options
from .pages import blueprint
from .print_status import printer_summary

bp = blueprint("printer_admin", __name__)
MANAGE = _l("manage printers")


class PrinterForm(FlaskForm):
    name = StringField(_l("Printer name"), validators=[DataRequired(), Length(max=40)],
                       render_kw={"autocomplete": "off"})
    uri = StringField(_l("Address (URI)"), validators=[DataRequired(), Length(max=300)],
                      render_kw={"autocomplete": "off", "spellcheck": "false"})
    office = SelectField(_l("Office"), validators=[DataRequired()])


def _visible(session, name: str):
    printer = printers.get(session, name)
    if printer.office_code:
        require_area(printer.office_code, "printer", name)
    return printer


@bp.route("/admin/printers", methods=["GET", "POST"])
@requires(ADMIN, action=MANAGE)
def index():
    form = PrinterForm()
    form.office.choices = office_options()
    if form.validate_on_submit():
        require_area(form.office.data, "office", form.office.data)
        try:
            uri = configured.check_uri(form.uri.data)
            with db().write() as session:
                printers.add(session, me().actor, form.name.data.strip(), uri, form.office.data)
        except drivers.InvalidPrinterUriError as exc:
            form.uri.errors = [*form.uri.errors, str(exc)]
        except InvalidRecordError as exc:
            for field, reasons in exc.errors.items():
                target = getattr(form, field, form.name)
                target.errors = [*target.errors, *map(reason_text, reasons)]
        except ConflictError:
            form.name.errors = [*form.name.errors, _("A printer with this name exists.")]
        else:
            flash(_("Printer %(name)s is added.", name=form.name.data), "success")
            return redirect(url_for("printer_admin.show", name=form.name.data.strip()))
    with db().read() as session:
        return render_template("admin/printers.html", form=form,
                               machines=printers.listed(session, me().office_code))


@bp.get("/admin/printers/<name>")
@requires(ADMIN, action=MANAGE)
def show(name: str):
    with db().read() as session:
        printer = _visible(session, name)
        events = printers.recent_events(session, printer.id)
        busy = counter.printing_on(session, printer.id)
        uri = printer.uri
    status, identity = (None, {}) if busy else configured.probe(uri)
    return render_template("admin/printer.html", printer=printer, events=events, busy=busy,
                           status=printer_summary(status) if status else None,
                           raw=status.as_dict() if status else {}, identity=identity)


@bp.post("/admin/printers/<name>/<any(enable, disable):change>")
@requires(ADMIN, action=MANAGE)
def change(name: str, change: str):
    with db().write() as session:
        _visible(session, name)
        printers.set_enabled(session, me().actor, name, change == "enable")
    flash(_("Printer %(name)s is back in use.", name=name) if change == "enable"
          else _("Printer %(name)s is out of use.", name=name), "success")
    return redirect(url_for("printer_admin.show", name=name))
