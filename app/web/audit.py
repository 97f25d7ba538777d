"""The audit log for supervisors and administrators: who did what, when, to which record.

Read-only by construction: these pages only answer GET, and the database refuses UPDATE and
DELETE on the log. A supervisor sees what was done by their office and the offices under it;
an administrator also sees what the console and the system did.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from registry import audit, audit_log
from registry.db import Database
from registry.models import ADMIN, SUPERVISOR

from ..database import db
from .access import me, requires
from .choices import options
from .labels import ENTITIES
from .pages import blueprint, id_arg
from .periods import check_period, ends_before_start

bp = blueprint("audit", __name__)
PER_PAGE = 50
COLUMNS = ("id", "at", "actor", "office_code", "action", "entity", "entity_key", "changes",
           "note")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    actor = StringField(_l("Who (user name)"), validators=[Optional(), Length(max=80)])
    action = StringField(_l("Action (e.g. application.diverifikasi, or application. for all)"),
                         validators=[Optional(), Length(max=40)])
    entity = SelectField(_l("Record kind"), validators=[Optional()],
                         choices=options([*ENTITIES.items(), ("address", "IP"), ("import", "Import")],
                                         blank=True))
    key = StringField(_l("Record (NIK, application number, user name…)"),
                      validators=[Optional(), Length(max=40)])
    since = DateField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    until = DateField(_l("Until (inclusive)"), validators=[Optional()],
                      render_kw={"type": "date"})

    def wanted(self) -> audit_log.AuditFilter:
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])

        def start_of(day: dt.date | None) -> dt.datetime | None:
            return dt.datetime.combine(day, dt.time(), zone) if day else None

        until = self.until.data + dt.timedelta(days=1) if self.until.data else None
        return audit_log.AuditFilter(
            actor=(self.actor.data or "").strip() or None,
            action=(self.action.data or "").strip() or None,
            entity=self.entity.data or None, key=(self.key.data or "").strip() or None,
            since=start_of(self.since.data), until=start_of(until),
            office_scope=me().office_code, include_unscoped=me().role == ADMIN)


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.validate()
    check_period(form.since, form.until)
    return form


@bp.get("/audit")
@requires(SUPERVISOR, action=_l("read the audit log"))
def index():
    form = _form()
    before = id_arg("before")
    with db().read() as session:
        entries = audit_log.page(session, form.wanted(), before_id=before, limit=PER_PAGE)
        query = {k: v for k, v in request.args.items() if k != "before" and v}
        return render_template("audit/index.html", form=form, entries=entries, query=query,
                               before=before, more=len(entries) == PER_PAGE,
                               exportable=not ends_before_start(form.since, form.until))


def _cell(value: object) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: keep them text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _rows(database: Database, wanted: audit_log.AuditFilter) -> Iterator[str]:
    """The CSV in chunks; it needs no request context, so it streams after the view ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    with database.read() as session:
        for entry in audit_log.export(session, wanted):
            writer.writerow([entry.id, entry.at.isoformat(), _cell(entry.actor),
                             entry.office_code or "", entry.action, entry.entity,
                             _cell(entry.entity_key),
                             json.dumps(entry.changes, ensure_ascii=False) if entry.changes
                             else "", _cell(entry.note)])
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


@bp.get("/audit.csv")
@requires(SUPERVISOR, action=_l("read the audit log"))
def export():
    form = _form()
    if ends_before_start(form.since, form.until):
        # No day to export: back to the page, which says so on the field; nothing recorded.
        return redirect(url_for("audit.index", **{k: v for k, v in request.args.items()
                                                  if k != "before" and v}))
    wanted = form.wanted()
    with db().write() as session:
        audit.record(session, me().actor, "audit.export", "audit", "csv",
                     note=json.dumps({k: v for k, v in request.args.items() if v})[:500])
    today = dt.datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
    name = f"audit-{today:%Y%m%d}.csv"
    return Response(_rows(db(), wanted), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
