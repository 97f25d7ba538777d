"""Who may reach which page: roles, the office's area, and the audit entry of every refusal."""

from __future__ import annotations

import pytest

from registry import residents

from .test_csrf import counter_rules

# Pages each role must not reach: (user, method, url, audited entity). Operators run the
# counter, supervisors verify and read the audit log and reports, administrators manage users,
# offices and printers. `{nik}`, `{kk}`, `{app}`, `{photo}` are filled from the scene.
ROLE_DENIALS = [
    ("kpt", "GET", "/audit", "role"),
    ("kpt", "GET", "/audit.csv", "role"),
    ("kpt", "GET", "/reports", "role"),
    ("kpt", "POST", "/applications/{app}/verify", "role"),
    ("kpt", "POST", "/applications/{app}/reject", "role"),
    ("kpt", "POST", "/stock/receive", "role"),
    ("kpt", "POST", "/stock/return", "role"),
    ("kpt", "POST", "/stock/transfer", "role"),
    ("kpt", "GET", "/admin/users", "role"),
    ("kpt", "GET", "/admin/users/new", "role"),
    ("kpt", "POST", "/admin/users/sragen/disable", "role"),
    ("kpt", "POST", "/admin/users/sragen/password", "role"),
    ("kpt", "GET", "/admin/offices", "role"),
    ("kpt", "GET", "/admin/printers", "role"),
    ("kpt", "GET", "/admin/printers/p1", "role"),
    ("kpt", "POST", "/admin/printers/p1/disable", "role"),
    ("supervisor", "GET", "/residents/new", "role"),
    ("supervisor", "GET", "/residents/{nik}/edit", "role"),
    ("supervisor", "GET", "/residents/{nik}/apply", "role"),
    ("supervisor", "GET", "/applications/{app}/capture", "role"),
    ("supervisor", "POST", "/applications/{app}/photo", "role"),
    ("supervisor", "POST", "/applications/{app}/signature", "role"),
    ("supervisor", "GET", "/applications/{app}/print", "role"),
    ("supervisor", "POST", "/applications/{app}/print", "role"),
    ("supervisor", "GET", "/applications/{app}/print/status", "role"),
    ("supervisor", "GET", "/applications/{app}/card.png", "role"),
    ("supervisor", "GET", "/applications/{app}/handover", "role"),
    ("supervisor", "POST", "/print-attempts/1/resolve", "role"),
    ("supervisor", "POST", "/print-attempts/1/settle", "role"),
    ("supervisor", "GET", "/printers/p1/status", "role"),
    ("supervisor", "GET", "/admin/users", "role"),
    ("supervisor", "GET", "/admin/printers", "role"),
]

# Records outside the office's area: Kalijambe's clerk and Jakarta's clerk meet a resident of
# Kecamatan Sragen; Kecamatan Sragen's clerk meets the KPT's printer and stock.
AREA_DENIALS = [
    ("kalijambe", "GET", "/residents/{nik}", "resident"),
    ("kalijambe", "GET", "/residents/{nik}/images/{photo}", "resident"),
    ("kalijambe", "GET", "/residents/{nik}/edit", "resident"),
    ("kalijambe", "GET", "/residents/{nik}/apply", "resident"),
    ("kalijambe", "GET", "/families/{kk}", "family"),
    ("kalijambe", "GET", "/applications/{app}", "application"),
    ("kalijambe", "GET", "/applications/{app}/capture", "application"),
    ("kalijambe", "GET", "/applications/{app}/receipt", "application"),
    ("kalijambe", "GET", "/residents?q=sri&area=33.14.10", "region"),
    ("kalijambe", "GET", "/stock?office=33.14", "office"),
    ("jakarta", "GET", "/residents/{nik}", "resident"),
    ("jakarta", "GET", "/residents?q=sri&area=33.14", "region"),
    ("sragen", "GET", "/printers/p1/status", "printer"),
    ("sragen", "POST", "/stock/spoil?office=33.14", "office"),
]


@pytest.fixture
def scene(web):
    nik = web.resident()
    application = web.seed_application(nik)
    with web.db.read() as session:
        resident = residents.get(session, nik)
        from registry import counter

        photo = counter.current_image_id(session, resident.id, "photo")
        kk = resident.family.kk
    return {"nik": nik, "kk": kk, "app": application, "photo": photo}


def _check_denied(web, scene, user, method, url, entity):
    clerk = web.clerk(user)
    target = url.format(**scene)
    response = clerk.get(target) if method == "GET" else clerk.post(target, {"printer": "p1"})
    assert response.status_code == 403, (user, method, target, response.status_code)
    assert "Not allowed" in response.get_data(as_text=True)
    entries = [e for e in web.audit("access.denied") if e.actor == user]
    assert entries and entries[0].entity == entity, (target, [e.entity for e in entries])
    return entries[0]


@pytest.mark.parametrize("user, method, url, entity", ROLE_DENIALS)
def test_a_role_is_refused_what_it_may_not_do(web, scene, user, method, url, entity):
    entry = _check_denied(web, scene, user, method, url, entity)
    assert entry.note.startswith(f"Your role ({entry.entity_key}) may not")


@pytest.mark.parametrize("user, method, url, entity", AREA_DENIALS)
def test_a_clerk_is_refused_records_outside_their_area(web, scene, user, method, url, entity):
    entry = _check_denied(web, scene, user, method, url, entity)
    assert "is outside the area of your office" in entry.note


def test_the_refusal_says_why_in_the_clerks_language(web, scene):
    clerk = web.clerk("kalijambe", lang="id")
    page = clerk.get(f"/residents/{scene['nik']}").get_data(as_text=True)
    assert "di luar wilayah kantor Anda (33.14.01)" in page
    assert web.audit("access.denied")[0].note.endswith("outside the area of your office "
                                                       "(33.14.01).")  # the log stays English


def test_the_kabupaten_office_sees_every_kecamatan(web, scene):
    for user in ("kpt", "supervisor", "admin"):
        assert web.clerk(user).get(f"/residents/{scene['nik']}").status_code == 200
    assert web.clerk("sragen").get(f"/residents/{scene['nik']}").status_code == 200


def test_a_search_only_finds_residents_of_the_office_area(web):
    web.resident(nama="SRI KALIJAMBE", desa_code="33.14.01.2001")
    web.resident(nama="SRI KOTA", desa_code="33.14.10.1001")
    kalijambe = web.clerk("kalijambe").page("/residents?q=sri")
    assert "SRI KALIJAMBE" in kalijambe and "SRI KOTA" not in kalijambe
    kpt = web.clerk("kpt").page("/residents?q=sri")
    assert "SRI KALIJAMBE" in kpt and "SRI KOTA" in kpt


# Every page of the counter, for a clerk allowed to open it (ids from the scene).
PAGES = [
    ("kpt", "/"), ("kpt", "/residents"), ("kpt", "/residents?q=sri"), ("kpt", "/residents/new"),
    ("kpt", "/residents/{nik}"), ("kpt", "/residents/{nik}/edit"), ("kpt", "/families/{kk}"),
    ("kpt", "/residents/{nik}/images/{photo}"), ("kpt", "/applications"),
    ("kpt", "/applications/{app}"), ("kpt", "/applications/{app}/capture"),
    ("kpt", "/applications/{app}/print"), ("kpt", "/applications/{app}/card.png"),
    ("kpt", "/applications/{app}/print/status"), ("kpt", "/applications/{app}/receipt"),
    ("kpt", "/printers/p1/status"), ("kpt", "/stock"), ("kpt", "/account/password"),
    ("supervisor", "/audit"), ("supervisor", "/audit.csv"), ("supervisor", "/reports"),
    ("admin", "/admin/users"), ("admin", "/admin/users/new"), ("admin", "/admin/offices"),
    ("admin", "/admin/printers"), ("admin", "/admin/printers/p1"),
    ("kpt", "/residents/{nik}/apply"), ("kpt", "/applications/{app}/handover"),
]


def test_every_page_opens_for_a_clerk_allowed_to(web, scene):
    clerks = {name: web.clerk(name) for name in ("kpt", "supervisor", "admin")}
    answers = {url: clerks[user].get(url.format(**scene)) for user, url in PAGES}
    # the application is open, so "apply" and "handover" send the clerk to the application
    assert {url: r.status_code for url, r in answers.items()
            if r.status_code != (302 if url.endswith(("apply", "handover")) else 200)} == {}


def test_the_page_list_covers_every_page(app):
    adapter = app.url_map.bind("localhost")
    urls = [url.split("?")[0].format(nik="3314105708800001", kk="3314100101010001", app=1,
                                     photo=1) for _user, url in PAGES]
    matched = {adapter.match(url, method="GET", return_rule=True)[0].rule for url in urls}
    assert matched | {"/login", "/static/web/<path:filename>"} == counter_rules(app, "GET") | {
        "/static/web/<path:filename>"}


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(web, scene):
    visitor = web.clerk()
    for _user, url in PAGES:
        response = visitor.get(url.format(**scene))
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url
    assert visitor.get(f"/applications/{scene['app']}/print/status",
                       headers={"Accept": "application/json"}).status_code == 401
