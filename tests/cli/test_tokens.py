"""`ktp tokens list|revoke`: an administrator sees which API tokens exist and switches one off
at once (a leaked token, a retired script), every revocation in the audit log."""

from __future__ import annotations

from app.database import db
from registry import audit_log


def _create(runner, user, label):
    result = runner.invoke(args=["tokens", "create", user, "--label", label])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def _rows(runner, *args):
    result = runner.invoke(args=["tokens", "list", *args])
    assert result.exit_code == 0, result.output
    header, *rows = result.output.strip().splitlines()
    assert header.split("\t") == ["ID", "NAME", "OWNER", "CREATED", "LAST USED", "REVOKED"]
    return [row.split("\t") for row in rows]


def _revocations(app):
    with app.app_context(), db().read() as session:
        return audit_log.page(session, audit_log.AuditFilter(action="token.revoke"))


def test_the_list_shows_name_owner_created_last_use_and_revocation(app, runner, client):
    token = _create(runner, "kpt", "loket-skrip")
    _create(runner, "supervisor", "laporan")
    rows = _rows(runner)
    assert [(r[1], r[2], r[4], r[5]) for r in rows] == [
        ("loket-skrip", "kpt", "-", "-"), ("laporan", "supervisor", "-", "-")]
    assert all(r[3][:2] == "20" for r in rows)  # created: a date and a time
    assert token not in runner.invoke(args=["tokens", "list"]).output  # never shown again
    assert client.get("/api/v1/residents", headers={
        "Authorization": f"Bearer {token}"}).status_code == 200
    used = {r[1]: r[4] for r in _rows(runner)}
    assert used["loket-skrip"] != "-" and used["laporan"] == "-"
    assert [r[1] for r in _rows(runner, "--user", "supervisor")] == ["laporan"]


def test_a_revoked_token_is_refused_at_once_and_audited(app, runner, client):
    token = _create(runner, "kpt", "loket-skrip")
    other = _create(runner, "kpt", "cadangan")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/residents", headers=headers).status_code == 200
    result = runner.invoke(args=["tokens", "revoke", "loket-skrip"])
    assert result.exit_code == 0, result.output
    assert "revoked token" in result.output and "'loket-skrip' of kpt" in result.output
    refused = client.get("/api/v1/residents", headers=headers)
    assert refused.status_code == 401 and refused.json["code"] == 401
    assert client.get("/api/v1/residents", headers={
        "Authorization": f"Bearer {other}"}).status_code == 200  # the others still work
    revoked = {r[1]: r[5] for r in _rows(runner)}
    assert revoked["loket-skrip"] != "-" and revoked["cadangan"] == "-"
    [entry] = _revocations(app)
    assert entry.actor.startswith("cli:") and entry.entity_key == "kpt"
    assert "loket-skrip" in entry.note
    again = runner.invoke(args=["tokens", "revoke", "loket-skrip"])
    assert again.exit_code == 0 and "revoked already" in again.output
    assert len(_revocations(app)) == 1


def test_a_token_is_revoked_by_its_id(app, runner, client):
    token = _create(runner, "supervisor", "laporan")
    [row] = _rows(runner)
    result = runner.invoke(args=["tokens", "revoke", row[0]])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/residents", headers={
        "Authorization": f"Bearer {token}"}).status_code == 401


def test_a_shared_or_unknown_name_revokes_nothing(app, runner, client):
    first, second = _create(runner, "kpt", "cli"), _create(runner, "supervisor", "cli")
    shared = runner.invoke(args=["tokens", "revoke", "cli"])
    assert shared.exit_code == 1 and "2 tokens are named 'cli'" in shared.output
    assert "(kpt)" in shared.output and "(supervisor)" in shared.output
    unknown = runner.invoke(args=["tokens", "revoke", "nothing-here"])
    assert unknown.exit_code == 1 and "no API token 'nothing-here'" in unknown.output
    assert not _revocations(app)
    narrowed = runner.invoke(args=["tokens", "revoke", "cli", "--user", "supervisor"])
    assert narrowed.exit_code == 0, narrowed.output
    for token, status in ((first, 200), (second, 401)):
        assert client.get("/api/v1/residents", headers={
            "Authorization": f"Bearer {token}"}).status_code == status
