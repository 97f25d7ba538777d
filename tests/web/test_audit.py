"""The audit page: filters, the CSV export, who sees which entries, and no way to change it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

from registry import audit, offices, users
from registry.audit import SYSTEM, Actor

from .conftest import PASSWORD, actor


def _seed(web):
    with web.db.write() as session:
        audit.record(session, actor("kpt"), "resident.update", "resident", "3314105708800001",
                     {"pekerjaan": ["PETANI", "GURU"]}, note="SK 1")
        audit.record(session, actor("sragen"), "application.diajukan", "application", "7")
        audit.record(session, actor("kalijambe"), "application.ditolak", "application", "8",
                     note="=HYPERLINK(\"http://evil\")")
        audit.record(session, Actor("cli:root"), "office.create", "office", "33.14.20")


def test_the_audit_page_lists_who_did_what_to_which_record(web):
    _seed(web)
    page = web.clerk("supervisor").page("/audit")
    assert "resident.update" in page and "3314105708800001" in page
    assert "Occupation</span>: PETANI → GURU" in page and "SK 1" in page


def test_filters_narrow_by_who_action_record_and_date(web):
    _seed(web)
    supervisor = web.clerk("supervisor")
    by_actor = supervisor.page("/audit?actor=sragen")
    assert "application.diajukan" in by_actor and "resident.update" not in by_actor
    family = supervisor.page("/audit?action=application.")
    assert "application.diajukan" in family and "application.ditolak" in family
    assert "resident.update" not in family
    record = supervisor.page("/audit?entity=application&key=8")
    assert "application.ditolak" in record and "application.diajukan" not in record
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()  # the office's calendar
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert "No entries match." in supervisor.page(f"/audit?since={tomorrow}")
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert "No entries match." in supervisor.page(f"/audit?until={yesterday}")
    today = today.isoformat()
    assert "resident.update" in supervisor.page(f"/audit?since={today}&until={today}")


def test_pages_of_the_log_follow_each_other(web):
    with web.db.write() as session:
        for n in range(60):
            audit.record(session, actor("kpt"), "test.step", "resident", f"{n:016d}")
    supervisor = web.clerk("supervisor")
    first = supervisor.page("/audit?action=test.step")
    assert "0000000000000059" in first and "0000000000000005" not in first
    start = first.index('rel="next"')
    link = first[first.rindex('href="', 0, start) + 6:first.index('"', first.rindex(
        'href="', 0, start) + 6)].replace("&amp;", "&")
    second = supervisor.page(link)
    assert "0000000000000005" in second and "0000000000000059" not in second


def test_the_csv_export_has_every_match_and_is_itself_audited(web):
    _seed(web)
    response = web.clerk("supervisor").get("/audit.csv?action=application.")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["action"] for r in rows} == {"application.diajukan", "application.ditolak"}
    rejected = next(r for r in rows if r["action"] == "application.ditolak")
    assert rejected["note"].startswith("'=")  # a spreadsheet shows it, never runs it
    export = web.audit("audit.export")[0]
    assert export.actor == "supervisor" and "application." in export.note


def test_an_export_of_a_period_ending_before_it_starts_is_refused_on_the_page(web):
    """It wrote an empty file and recorded an export of it."""
    _seed(web)
    supervisor = web.clerk("supervisor")
    response = supervisor.get("/audit.csv?action=application.&since=2026-05-01&until=2026-01-01")
    assert response.status_code == 302 and response.mimetype != "text/csv"
    location = response.headers["Location"]
    assert location.startswith("/audit?") and "until=2026-01-01" in location
    assert "action=application." in location
    page = supervisor.main(location)
    assert "The end of the period is before its start." in page
    assert "Export as CSV" not in page  # no link to an export of nothing
    assert web.audit("audit.export") == []
    assert "Export as CSV" in supervisor.main("/audit?since=2026-01-01&until=2026-01-01")


def test_a_kecamatan_supervisor_sees_only_their_area(web):
    _seed(web)
    with web.db.write() as session:
        from app.auth.passwords import hash_password

        offices.ensure(session, SYSTEM, "33.14.10")
        users.create(session, SYSTEM, "camat", role="supervisor", office_code="33.14.10",
                     password_hash=hash_password(PASSWORD))
    camat = web.clerk("camat").page("/audit?action=application.")
    assert "application.diajukan" in camat and "application.ditolak" not in camat


def test_only_administrators_see_what_the_console_did(web):
    _seed(web)
    assert "33.14.20" not in web.clerk("supervisor").main("/audit?action=office.create")
    assert "33.14.20" in web.clerk("admin").main("/audit?action=office.create")


def test_the_log_cannot_be_changed_through_the_application(web):
    _seed(web)
    supervisor = web.clerk("supervisor")
    for method in ("post", "put", "patch", "delete"):
        response = getattr(supervisor.client, method)("/audit", data={
            "csrf_token": supervisor.token})
        assert response.status_code == 405, method
    assert 'method="post"' not in supervisor.main("/audit")
