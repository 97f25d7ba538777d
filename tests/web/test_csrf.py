"""Every form is protected against cross-site requests; bearer-token API calls are not forms."""

from __future__ import annotations

from registry import residents
from tests.registry.factories import resident_fields

# Every POST route of the counter, with ids that exist in the `web` fixture or not: the CSRF
# check runs before the view, so a refusal never depends on the record.
POSTS = [
    "/login", "/logout", "/language", "/account/password",
    "/residents/new", "/residents/3314105708800001/edit", "/residents/3314105708800001/apply",
    "/applications/1/verify", "/applications/1/reject", "/applications/1/photo",
    "/applications/1/signature", "/applications/1/print", "/applications/1/handover",
    "/print-attempts/1/resolve", "/print-attempts/1/settle",
    "/stock/receive", "/stock/spoil", "/stock/return", "/stock/transfer",
    "/admin/users/new", "/admin/users/kpt/disable", "/admin/users/kpt/enable",
    "/admin/users/kpt/unlock", "/admin/users/kpt/password",
    "/admin/offices", "/admin/printers", "/admin/printers/p1/disable",
    "/admin/printers/p1/enable",
]


def counter_rules(app, method: str) -> set[str]:
    """The routes of the counter's own pages (not the API's, nor other features')."""
    return {rule.rule for rule in app.url_map.iter_rules()
            if method in rule.methods
            and app.view_functions[rule.endpoint].__module__.startswith("app.web.")}


def test_the_list_covers_every_post_route(app):
    adapter = app.url_map.bind("localhost")
    matched = {adapter.match(url, method="POST", return_rule=True)[0].rule for url in POSTS}
    assert matched == counter_rules(app, "POST")


def test_a_form_without_the_token_is_refused(web):
    admin = web.clerk("admin")
    before = len(web.audit(""))
    answers = {url: admin.post(url, {"quantity": "5", "reason": "x"}, csrf=False)
               for url in POSTS}
    assert {url: r.status_code for url, r in answers.items() if r.status_code != 400} == {}
    assert all("This form has expired" in r.get_data(as_text=True) for r in answers.values())
    assert len(web.audit("")) == before  # nothing was done
    assert web.balance() == (20, 0)
    assert admin.get("/").status_code == 200  # and the session is still signed in


def test_a_forged_token_is_refused(web):
    admin = web.clerk("admin")
    response = admin.post("/stock/receive", {"quantity": "5", "csrf_token": "forged"},
                          csrf=False)
    assert response.status_code == 400
    assert web.balance() == (20, 0)


def test_a_token_from_another_session_is_refused(web):
    admin, other = web.clerk("admin"), web.clerk("supervisor")
    response = admin.post("/stock/receive", {"quantity": "5", "csrf_token": other.token},
                          csrf=False)
    assert response.status_code == 400


def test_bearer_token_api_calls_need_no_csrf_token(web, clerks):
    nik = web.resident()
    client = web.app.test_client()
    response = client.patch(f"/api/v1/residents/{nik}", json={"pekerjaan": "WIRASWASTA"},
                            headers=clerks["kpt"].headers)
    assert response.status_code == 200 and response.json["pekerjaan"] == "WIRASWASTA"
    created = client.post("/api/v1/residents", json={
        **{k: str(v) for k, v in resident_fields(nama="JOKO SANTOSO").items()}},
        headers=clerks["kpt"].headers)
    assert created.status_code == 201


def test_the_api_from_a_signed_in_page_needs_the_csrf_header(web):
    nik = web.resident()
    kpt = web.clerk("kpt")
    refused = kpt.client.patch(f"/api/v1/residents/{nik}", json={"pekerjaan": "WIRASWASTA"})
    assert refused.status_code == 400
    allowed = kpt.client.patch(f"/api/v1/residents/{nik}", json={"pekerjaan": "WIRASWASTA"},
                               headers={"X-CSRFToken": kpt.token})
    assert allowed.status_code == 200


# The API's writes: (method, url, body as keyword arguments of the test client).
API_WRITES = [
    ("POST", "/api/v1/residents", {"json": {"nama": "JOKO SANTOSO"}}),
    ("PATCH", "/api/v1/residents/{nik}", {"json": {"pekerjaan": "WIRASWASTA"}}),
    ("PUT", "/api/v1/residents/{nik}/photo", {"data": b"\xff\xd8 not a photo",
                                              "content_type": "image/jpeg"}),
]


def test_an_api_write_without_session_or_token_gets_the_apis_401(web):
    nik = web.resident()
    before = len(web.audit(""))
    for client in (web.app.test_client(), web.clerk().client):  # no cookie; a signed-out one
        unauthorized = client.get(f"/api/v1/residents/{nik}")
        assert unauthorized.status_code == 401
        for method, url, body in API_WRITES:
            response = client.open(url.format(nik=nik), method=method, **body)
            assert response.status_code == 401, (method, response.get_data(as_text=True))
            assert response.json == unauthorized.json, method
            assert response.headers["WWW-Authenticate"] == 'Bearer realm="ktp"'
    assert len(web.audit("")) == before  # nothing was written
    with web.db.read() as session:
        assert residents.get(session, nik).pekerjaan != "WIRASWASTA"


def test_a_signed_in_api_write_without_the_csrf_header_is_still_refused(web):
    nik = web.resident()
    kpt = web.clerk("kpt")
    for method, url, body in API_WRITES:
        response = kpt.client.open(url.format(nik=nik), method=method, **body)
        assert response.status_code == 400, method
        assert "This form has expired" in response.json["message"]
