"""Administration: users, offices and printers."""

from __future__ import annotations

import re

from registry import printers, users

from .conftest import Clerk


def _temporary_password(page: str) -> str:
    return re.search(r'id="temporary-password">([^<]+)<', page).group(1)


def test_an_administrator_creates_a_user_who_can_sign_in(web):
    admin = web.clerk("admin")
    form = admin.page("/admin/users/new")
    assert "Kantor Kecamatan Kalijambe (33.14.01)" in form and "31.71" not in form
    response = admin.post("/admin/users/new", {"username": "dewi.op", "full_name": "Dewi",
                                               "role": "operator", "office": "33.14.01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "User dewi.op is created" in page
    password = _temporary_password(page)
    assert Clerk(web.app, "dewi.op", password).page("/").count("Kantor Kecamatan Kalijambe")
    with web.db.read() as session:
        assert password not in users.get(session, "dewi.op").password_hash


def test_a_taken_or_malformed_user_name_is_refused(web):
    admin = web.clerk("admin")
    admin.page("/admin/users/new")
    taken = admin.post("/admin/users/new", {"username": "kpt", "role": "operator",
                                            "office": "33.14"})
    assert "This user name is taken." in taken.get_data(as_text=True)
    bad = admin.post("/admin/users/new", {"username": "Kpt 2", "role": "operator",
                                          "office": "33.14"})
    assert 'id="username-error"' in bad.get_data(as_text=True)


def test_disabling_a_user_ends_their_session_and_enabling_restores_it(web):
    sragen = web.clerk("sragen")
    admin = web.clerk("admin")
    admin.page("/admin/users")
    admin.post("/admin/users/sragen/disable")
    assert sragen.get("/").status_code == 302
    assert "disabled" in admin.page("/admin/users")
    admin.post("/admin/users/sragen/enable")
    assert web.clerk("sragen").get("/").status_code == 200
    assert [e.action for e in web.audit("user.", key="sragen")][:2] == ["user.enable",
                                                                          "user.disable"]


def test_an_administrator_cannot_disable_their_own_account(web):
    admin = web.clerk("admin")
    admin.page("/admin/users")
    assert admin.post("/admin/users/admin/disable").status_code == 403
    assert admin.get("/").status_code == 200


def test_a_password_reset_gives_a_new_password_once(web):
    admin = web.clerk("admin")
    admin.page("/admin/users")
    page = admin.post("/admin/users/kalijambe/password").get_data(as_text=True)
    password = _temporary_password(page)
    assert web.clerk().login("kalijambe").status_code == 200  # the old one is gone
    assert web.clerk().login("kalijambe", password).status_code == 302
    assert web.audit("user.password", key="kalijambe")[0].note == "reset by an administrator"


def test_offices_are_listed_and_added_within_the_area(web):
    admin = web.clerk("admin")
    page = admin.page("/admin/offices")
    assert "Kantor Kecamatan Sragen" in page and "31.71" not in page
    added = admin.post("/admin/offices", {"code": "33.14.02"})
    assert added.status_code == 302
    assert "Kantor Kecamatan Plupuh" in admin.page("/admin/offices")
    unknown = admin.post("/admin/offices", {"code": "33.14.99"})
    assert "is not a region code" in unknown.get_data(as_text=True)
    twice = admin.post("/admin/offices", {"code": "33.14.02"})
    assert "This office exists already." in twice.get_data(as_text=True)
    outside = admin.post("/admin/offices", {"code": "35.01"})
    assert outside.status_code == 403


def test_a_printer_is_added_only_with_an_address_the_drivers_understand(web):
    admin = web.clerk("admin")
    admin.page("/admin/printers")
    bad = admin.post("/admin/printers", {"name": "loket-2", "uri": "lpt://1",
                                         "office": "33.14"})
    assert bad.status_code == 200 and 'id="uri-error"' in bad.get_data(as_text=True)
    good = admin.post("/admin/printers", {"name": "loket-2", "uri": "virtual://loket-2?cards=5",
                                          "office": "33.14.10"})
    assert good.headers["Location"] == "/admin/printers/loket-2"
    page = admin.page("/admin/printers/loket-2")
    assert "Virtual Evolis Primacy" in page and "Ready" in page
    with web.db.read() as session:
        assert printers.get(session, "loket-2").office_code == "33.14.10"


def test_a_printer_is_taken_out_of_use_and_back(web):
    admin = web.clerk("admin")
    admin.page("/admin/printers/p1")
    admin.post("/admin/printers/p1/disable")
    assert "out of use" in admin.page("/admin/printers/p1")
    admin.post("/admin/printers/p1/enable")
    with web.db.read() as session:
        assert printers.get(session, "p1").enabled
    assert [e.action for e in web.audit("printer.", key="p1")][:2] == ["printer.enable",
                                                                        "printer.disable"]
