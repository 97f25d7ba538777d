"""The supervisor's report of a period: the counter's work, the blanks, the faults, and how
long residents waited from application to card."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional

from registry import reports
from registry.models import SUPERVISOR

from ..database import db
from .access import me, requires
from .pages import blueprint
from .periods import check_period

bp = blueprint("reports", __name__)


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    since = DateField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    until = DateField(_l("Until (inclusive)"), validators=[Optional()],
                      render_kw={"type": "date"})


@bp.get("/reports")
@requires(SUPERVISOR, action=_l("read reports"))
def index():
    form = PeriodForm(request.args)
    form.validate()
    check_period(form.since, form.until)
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    today = dt.datetime.now(zone).date()  # the office's calendar, not the server's
    since = form.since.data or today.replace(day=1)
    until = form.until.data or today
    form.since.data, form.until.data = since, until
    start = dt.datetime.combine(since, dt.time(), zone)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone)
    with db().read() as session:
        report = reports.activity(session, me().office_code, start, end)
    return render_template("reports/index.html", form=form, report=report)
