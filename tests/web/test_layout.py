"""What every page shares: the menu other features extend, headers, the report page."""

from __future__ import annotations

from flask import Blueprint

from app.web import nav


def test_the_menu_shows_what_the_role_may_open(web):
    kpt = web.clerk("kpt").page("/")
    assert 'href="/residents"' in kpt and 'href="/stock"' in kpt
    assert 'href="/audit"' not in kpt and 'href="/admin/users"' not in kpt
    supervisor = web.clerk("supervisor").page("/")
    assert 'href="/audit"' in supervisor and 'href="/reports"' in supervisor
    assert 'href="/admin/users"' not in supervisor
    admin = web.clerk("admin").page("/")
    assert 'href="/admin/users"' in admin and 'href="/audit"' in admin


def test_another_feature_adds_its_menu_entry(web):
    bp = Blueprint("feature_x", __name__)
    bp.add_url_rule("/feature-x", "index", lambda: "x")
    web.app.register_blueprint(bp)
    nav.register_nav("Feature X", "feature_x.index", roles=("supervisor",), order=15)
    nav.register_nav("Ghost", "no_such.page")  # a feature that is not installed
    try:
        supervisor = web.clerk("supervisor").page("/")
        assert supervisor.index('href="/"') < supervisor.index('href="/feature-x"') \
            < supervisor.index('href="/residents"')
        assert "Ghost" not in supervisor
        assert 'href="/feature-x"' not in web.clerk("kpt").page("/")
    finally:
        nav._entries.pop("feature_x.index")
        nav._entries.pop("no_such.page")


def test_the_current_section_is_marked_for_screen_readers(web):
    page = web.clerk("kpt").page("/residents")
    assert '<a href="/residents" aria-current="page">' in page


def test_counter_pages_are_kept_out_of_caches_and_frames(web):
    response = web.clerk("kpt").get("/residents")
    headers = response.headers
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Permissions-Policy"].startswith("camera=(self)")


def test_pages_carry_no_inline_script_or_style(web):
    """The Content-Security-Policy forbids them: a page relying on one would break."""
    nik = web.resident()
    application_id = web.seed_application(nik, verify=True)
    kpt = web.clerk("kpt")
    for url in ("/", "/residents?q=sri", f"/residents/{nik}", f"/applications/{application_id}",
                f"/applications/{application_id}/print", "/stock", "/residents/new"):
        page = kpt.page(url)
        assert "<script>" not in page and " style=" not in page and "onclick" not in page, url


def test_static_files_are_served_by_the_app_and_cacheable(web):
    response = web.app.test_client().get("/static/web/css/counter.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get(
        "Cache-Control", "")
    for script in ("counter.js", "capture.js", "print-status.js"):
        assert web.app.test_client().get(f"/static/web/js/{script}").status_code == 200


def test_the_report_counts_the_periods_work(web):
    from app.web.print_jobs import jobs

    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    kpt.page(f"/applications/{application_id}/print")
    kpt.post(f"/applications/{application_id}/print", {"printer": "p1"})
    with web.app.app_context():
        jobs().wait(application_id)
    rejected = web.seed_application(web.resident(nama="DITOLAK SAJA"))
    supervisor = web.clerk("supervisor")
    supervisor.page(f"/applications/{rejected}")
    supervisor.post(f"/applications/{rejected}/reject", {"reason": "dokumen palsu"})
    page = supervisor.main("/reports")
    assert "<strong>2</strong>applications taken" in page
    assert "<strong>1</strong>verified" in page and "<strong>1</strong>rejected" in page
    assert "<strong>1</strong>cards printed" in page
