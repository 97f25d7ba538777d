"""Signing in and out: throttling per account and per address, the idle timeout, cookies."""

from __future__ import annotations

import time

from registry import users
from registry.audit import SYSTEM

from .conftest import PASSWORD


def test_a_clerk_signs_in_and_sees_their_office(web):
    kpt = web.clerk()
    response = kpt.login("kpt")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = kpt.page("/")
    assert "Kantor Pelayanan Terpadu Kabupaten Sragen (33.14)" in page
    assert "Operator" in page
    assert web.audit("login", key="kpt")[0].note == "from 127.0.0.1"


def test_pages_ask_anonymous_visitors_to_sign_in_and_come_back(web):
    visitor = web.clerk()
    response = visitor.get("/residents?q=sri")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/residents?q%3Dsri"
    after = visitor.post("/login?next=/residents?q%3Dsri",
                         {"username": "kpt", "password": PASSWORD})
    assert after.headers["Location"] == "/residents?q=sri"


def test_sign_in_never_redirects_off_the_site(web):
    visitor = web.clerk()
    response = visitor.post("/login?next=https://evil.example/x",
                            {"username": "kpt", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_a_wrong_password_is_refused_and_recorded(web):
    visitor = web.clerk()
    response = visitor.login("kpt", "salah-sekali")
    assert response.status_code == 200
    assert "Wrong user name or password." in response.get_data(as_text=True)
    failed = web.audit("login.failed", key="127.0.0.1")
    assert [(e.actor, e.note) for e in failed] == [("kpt", "wrong password")]
    assert visitor.get("/").status_code == 302


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(web):
    response = web.clerk().login("nobody", PASSWORD)
    assert "Wrong user name or password." in response.get_data(as_text=True)
    assert web.audit("login.failed")[0].note == "unknown user"


def test_repeated_wrong_passwords_lock_the_account_until_unlocked(web):
    limit = web.app.config["LOGIN_MAX_FAILURES"]
    visitor = web.clerk()
    for _ in range(limit):
        last = visitor.login("sragen", "salah-sekali")
    assert "locked" in last.get_data(as_text=True)
    refused = visitor.login("sragen", PASSWORD)  # even the right password, while locked
    assert refused.status_code == 200 and "locked" in refused.get_data(as_text=True)
    assert web.audit("user.lock", key="sragen")
    admin = web.clerk("admin")
    assert admin.post("/admin/users/sragen/unlock").status_code == 302
    assert visitor.login("sragen", PASSWORD).status_code == 302


def test_one_address_guessing_across_accounts_is_blocked(web):
    web.app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    guesser = web.clerk()
    for name in ("kpt", "sragen", "kalijambe"):
        guesser.login(name, "tebakan-salah", REMOTE_ADDR="10.0.0.9")
    blocked = guesser.login("kpt", PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert blocked.status_code == 200
    assert "Too many failed sign-ins from this computer" in blocked.get_data(as_text=True)
    assert web.clerk().login("kpt", PASSWORD, REMOTE_ADDR="10.0.0.10").status_code == 302


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(web):
    kpt = web.clerk("kpt")
    with web.db.write() as session:
        users.set_active(session, SYSTEM, "kpt", False)
    assert kpt.get("/").status_code == 302
    assert "Wrong user name or password." in web.clerk().login("kpt").get_data(as_text=True)


def test_sign_out_ends_the_session(web):
    kpt = web.clerk("kpt")
    kpt.page("/")
    response = kpt.post("/logout")
    assert response.headers["Location"] == "/login"
    assert kpt.get("/").status_code == 302
    assert web.audit("logout", key="kpt")


def test_an_idle_session_is_signed_out(web):
    kpt = web.clerk("kpt")
    minutes = web.app.config["IDLE_TIMEOUT_MINUTES"]
    with kpt.client.session_transaction() as session:
        session["seen"] = time.time() - minutes * 60 - 5
    response = kpt.get("/residents")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/residents"
    page = kpt.page("/login")
    assert f"signed out after {minutes} minutes without activity" in page
    assert web.audit("logout.idle", key="kpt")
    assert kpt.get("/").status_code == 302


def test_an_idle_session_polling_for_json_gets_401(web):
    kpt = web.clerk("kpt")
    with kpt.client.session_transaction() as session:
        session["seen"] = time.time() - 10_000
    response = kpt.get("/applications/1/print/status", headers={"Accept": "application/json"})
    assert response.status_code == 401 and "signed out" in response.json["message"]


def test_activity_keeps_the_session_alive(web):
    kpt = web.clerk("kpt")
    minutes = web.app.config["IDLE_TIMEOUT_MINUTES"]
    with kpt.client.session_transaction() as session:
        session["seen"] = time.time() - minutes * 60 + 60  # a minute before the limit
    assert kpt.get("/").status_code == 200
    with kpt.client.session_transaction() as session:
        assert time.time() - session["seen"] < 5


class _Clock:
    """The idle timeout's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


def test_background_polls_do_not_keep_an_idle_session_alive(web, monkeypatch):
    """A print or batch page left open polls every second or two: that is no clerk at the PC."""
    from app.web import security

    clock = _Clock()
    monkeypatch.setattr(security, "time", clock)
    minutes = web.app.config["IDLE_TIMEOUT_MINUTES"]
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    assert kpt.get("/").status_code == 200  # the last click
    status = f"/applications/{application_id}/print/status"
    background = {"Accept": "application/json", security.BACKGROUND_HEADER: "1"}
    for _ in range(minutes * 60 // 20):
        clock.now += 20
        assert kpt.get(status, headers=background).status_code == 200
        assert kpt.get(status, headers={"Accept": "application/json"}).status_code == 200
        assert kpt.get("/batches/1/progress.json", headers=background).status_code != 401
    clock.now += 25
    refused = kpt.get(status, headers=background)
    assert refused.status_code == 401 and "signed out" in refused.json["message"]
    assert web.audit("logout.idle", key="kpt")
    page = kpt.get(f"/applications/{application_id}/print")  # what the poller's reload does
    assert page.headers["Location"] == f"/login?next=/applications/{application_id}/print"
    assert f"signed out after {minutes} minutes without activity" in kpt.page("/login")


def test_a_background_poll_of_a_signed_out_session_is_refused_in_json(web):
    kpt = web.clerk("kpt")
    with kpt.client.session_transaction() as session:
        session["seen"] = time.time() - 10_000
    response = kpt.get("/batches/1/progress.json", headers={"X-KTP-Background": "1"})
    assert response.status_code == 401 and response.mimetype == "application/json"


def test_the_session_cookie_is_http_only_and_same_site(web):
    response = web.clerk().login("kpt")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    web.app.config["SESSION_COOKIE_SECURE"] = True
    secure = web.clerk().login("kpt")
    assert "Secure" in secure.headers["Set-Cookie"]


def test_a_clerk_changes_their_own_password(web):
    kpt = web.clerk("kpt")
    kpt.page("/account/password")
    wrong = kpt.post("/account/password", {"current": "salah", "new": "baru-sekali-9",
                                           "again": "baru-sekali-9"})
    assert "The current password is wrong." in wrong.get_data(as_text=True)
    changed = kpt.post("/account/password", {"current": PASSWORD, "new": "baru-sekali-9",
                                             "again": "baru-sekali-9"})
    assert changed.status_code == 302
    assert web.clerk().login("kpt", "baru-sekali-9").status_code == 302
    assert web.clerk().login("kpt", PASSWORD).status_code == 200
