"""`ktp users password|disable|enable`: an administrator at the console recovers a lost
(demo) password or switches an account off, every change in the audit log."""

from __future__ import annotations

from app.auth.passwords import verify
from app.database import db
from registry import audit_log, users


def _user(app, name):
    with app.app_context(), db().read() as session:
        return users.get(session, name)


def _audit(app, action, key):
    with app.app_context(), db().read() as session:
        return audit_log.page(session, audit_log.AuditFilter(action=action, key=key))


def test_a_lost_password_is_set_from_standard_input_and_audited(app, runner, client):
    result = runner.invoke(args=["users", "password", "kpt"], input="kata-sandi-baru\n")
    assert result.exit_code == 0, result.output
    assert "new password set for kpt" in result.output
    assert verify(_user(app, "kpt").password_hash, "kata-sandi-baru")
    entry = _audit(app, "user.password", "kpt")[0]
    assert entry.actor.startswith("cli:") and entry.note == "set from the console"
    response = client.post("/login", data={"username": "kpt", "password": "kata-sandi-baru"})
    assert response.status_code == 302


def test_the_password_is_asked_twice_on_a_terminal(app, runner, monkeypatch):
    from types import SimpleNamespace

    from app.cli import people

    monkeypatch.setattr(people, "sys", SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: True)))
    mismatch = runner.invoke(args=["users", "password", "kpt"],
                             input="kata-sandi-baru\nkata-sandi-lain\nkata-sandi-baru\n"
                                   "kata-sandi-baru\n")
    assert mismatch.exit_code == 0, mismatch.output
    assert mismatch.output.count("Password") >= 2 and "do not match" in mismatch.output
    assert verify(_user(app, "kpt").password_hash, "kata-sandi-baru")


def test_a_weak_password_or_an_unknown_user_changes_nothing(app, runner):
    before = _user(app, "kpt").password_hash
    weak = runner.invoke(args=["users", "password", "kpt"], input="short\n")
    assert weak.exit_code == 1 and "at least 8" in weak.output
    unknown = runner.invoke(args=["users", "password", "nobody"], input="kata-sandi-baru\n")
    assert unknown.exit_code == 1 and "nobody" in unknown.output
    empty = runner.invoke(args=["users", "password", "kpt"], input="")
    assert empty.exit_code == 1 and "no password on standard input" in empty.output
    assert _user(app, "kpt").password_hash == before
    assert not _audit(app, "user.password", "kpt")


def test_a_new_password_lifts_a_sign_in_lock(app, runner, client):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": "kpt", "password": "salah-sekali"})
    assert _user(app, "kpt").locked_until is not None
    runner.invoke(args=["users", "password", "kpt"], input="kata-sandi-baru\n")
    assert _user(app, "kpt").locked_until is None


def test_an_account_is_disabled_and_enabled_from_the_console(app, runner):
    off = runner.invoke(args=["users", "disable", "kpt"])
    assert off.exit_code == 0 and "kpt is disabled" in off.output
    assert not _user(app, "kpt").active and _audit(app, "user.disable", "kpt")
    listed = runner.invoke(args=["users", "list"])
    assert "kpt\toperator\t33.14\t(disabled)" in listed.output
    on = runner.invoke(args=["users", "enable", "kpt"])
    assert on.exit_code == 0 and _user(app, "kpt").active and _audit(app, "user.enable", "kpt")
