"""The `ktp` commands, through Flask's CLI runner on a real database."""

from __future__ import annotations

import csv

from sqlalchemy import func, select

from app import create_app
from registry.csv_layout import HEADER
from registry.demo import DemoPopulation
from registry.models import AuditEntry, Region, Resident, ResidentImage


def test_init_creates_then_reports_up_to_date(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert "schema created" in first.output and "91599 loaded" in first.output
    again = runner.invoke(args=["init"])
    assert "up to date" in again.output and "already current" in again.output
    with app.extensions["ktp.db"].read() as session:
        assert session.scalar(select(func.count()).select_from(Region)) == 91_599


def test_offices_add_names_the_office_and_refuses_unknown_codes(runner):
    ok = runner.invoke(args=["offices", "add", "33.14.02"])
    assert ok.exit_code == 0 and "Kantor Kecamatan Plupuh" in ok.output
    named = runner.invoke(args=["offices", "add", "33.14.02.2001", "Balai Desa Karangwaru"])
    assert "Balai Desa Karangwaru" in named.output
    bad = runner.invoke(args=["offices", "add", "99.99"])
    assert bad.exit_code == 1 and "not a region code" in bad.output
    assert all(form in bad.output for form in ("(33.14)", "(33.14.10)", "(33.14.10.2007)"))
    twice = runner.invoke(args=["offices", "add", "33.14.02"])
    assert twice.exit_code == 1 and "exists already" in twice.output


def test_users_create_reads_the_password_from_stdin_and_tokens_print_last(runner, client):
    created = runner.invoke(args=["users", "create", "budi", "--role", "operator",
                                  "--office", "33.14.10"], input="kata-sandi-kuat\n")
    assert created.exit_code == 0, created.output
    weak = runner.invoke(args=["users", "create", "ani", "--role", "operator",
                               "--office", "33.14.10"], input="short\n")
    assert weak.exit_code == 1 and "at least 8" in weak.output
    nowhere = runner.invoke(args=["users", "create", "ani", "--role", "operator",
                                  "--office", "33.14.09"], input="kata-sandi-kuat\n")
    assert nowhere.exit_code == 1 and "ktp offices add 33.14.09" in nowhere.output
    token = runner.invoke(args=["tokens", "create", "budi"])
    assert token.exit_code == 0
    text = token.stdout.strip().splitlines()[-1]
    assert text.startswith("ktp_")
    response = client.get("/api/v1/residents", headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 200


def _demo_file(path, count=40, seed=11, mutate=None):
    rows = [dict(zip(HEADER, r, strict=True)) for r in DemoPopulation(
        {"33.14.10": ["33.14.10.1001"]}, seed=seed).rows(count)]
    if mutate:
        mutate(rows)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def test_import_reports_bad_rows_and_exits_nonzero(app, runner, tmp_path):
    path = tmp_path / "warga.csv"

    def spoil(rows):  # a member, not a head: a family whose only head is rejected goes too
        next(r for r in rows[2:] if r["STAT_HBKEL"] != "KEPALA KELUARGA").update(AGAMA="ATEIS")

    rows = _demo_file(path, mutate=spoil)
    line = next(i for i, r in enumerate(rows, start=2) if r["AGAMA"] == "ATEIS")
    failed = runner.invoke(args=["residents", "import", str(path)])
    assert failed.exit_code == 1
    assert f"line {line}, AGAMA" in failed.output and "nothing imported" in failed.output
    skipped = runner.invoke(args=["residents", "import", str(path), "--skip-invalid"])
    assert skipped.exit_code == 0
    assert f"imported {len(rows) - 1} of {len(rows)} rows" in skipped.output
    with (tmp_path / "warga.rejects.csv").open() as f:
        rejected = list(csv.DictReader(f))
    assert [(r["LINE"], r["AGAMA"]) for r in rejected] == [(str(line), "ATEIS")]


def test_export_writes_the_import_layout(app, runner, tmp_path):
    source = tmp_path / "in.csv"
    rows = _demo_file(source)
    assert runner.invoke(args=["residents", "import", str(source)]).exit_code == 0
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["residents", "export", str(out), "--area", "33.14.10"])
    assert result.exit_code == 0
    with out.open() as f:
        exported = list(csv.DictReader(f))
    assert sorted(r["NIK"] for r in exported) == sorted(r["NIK"] for r in rows)
    assert list(exported[0]) == HEADER


def _seeded(tmp_path, name, seed):
    url = f"sqlite:///{tmp_path / name}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    result = runner.invoke(args=["seed", "--residents", "30", "--seed", str(seed)])
    assert result.exit_code == 0, result.output
    with app.extensions["ktp.db"].read() as session:
        people = session.execute(select(Resident.nik, Resident.nama, Resident.tanggal_lahir)
                                 .order_by(Resident.nik)).all()
        photos = session.scalar(select(func.count()).where(ResidentImage.kind == "photo"))
        audited = session.scalar(select(func.count()).where(
            AuditEntry.action == "resident.import"))
    app.extensions["ktp.db"].dispose()
    return people, photos, audited


def test_seed_is_reproducible_and_draws_photos(tmp_path):
    first, photos, audited = _seeded(tmp_path, "a.sqlite", seed=5)
    second, _, _ = _seeded(tmp_path, "b.sqlite", seed=5)
    other, _, _ = _seeded(tmp_path, "c.sqlite", seed=6)
    assert len(first) >= 30 and first == second and first != other
    assert photos == len(first) and audited == 1
    assert all(nik.startswith("3314") for nik, _, _ in first)


def test_demo_sets_up_a_ready_registry_once(tmp_path):
    from registry import stock

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite'}", "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--residents", "12"])
    assert first.exit_code == 0, first.output
    passwords = [line.split()[-1] for line in first.output.splitlines() if "password:" in line]
    assert len(passwords) == 3 and "received 200 blank cards" in first.output
    again = runner.invoke(args=["demo"])
    assert "password:" not in again.output and "seeded" not in again.output
    with app.extensions["ktp.db"].read() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) >= 12
        assert stock.balance(session, "33.14").on_hand == 200
    status = runner.invoke(args=["printers", "status", "kpt-sragen-1"])
    assert status.exit_code == 0 and "state: ready" in status.output
    from app.auth.passwords import verify
    from registry import users

    with app.extensions["ktp.db"].read() as session:
        assert verify(users.get(session, "petugas").password_hash, passwords[1])
    app.extensions["ktp.db"].dispose()
