"""CSV import (all-or-nothing, or skipping bad rows) and export, in the SIAK-like layout."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry.csv_layout import HEADER
from registry.demo import DemoPopulation
from registry.exporter import export_csv
from registry.importer import ImportFileError, import_csv
from registry.models import AuditEntry, Family, Resident, ResidentNameToken

SRAGEN = {"33.14.10": ["33.14.10.1001", "33.14.10.1002"], "33.14.01": ["33.14.01.2001"]}


def demo_rows(count: int, seed: int = 7) -> list[dict[str, str]]:
    return [dict(zip(HEADER, row, strict=True))
            for row in DemoPopulation(SRAGEN, seed=seed).rows(count)]


def write(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def count(db, model) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_clean_file_imports_residents_families_and_name_index(db, clerk, tmp_path):
    rows = demo_rows(60)
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk)
    assert (report.errors, report.imported) == ([], len(rows))
    assert count(db, Resident) == len(rows)
    assert count(db, Family) == report.families_created == len({r["NO_KK"] for r in rows})
    assert count(db, ResidentNameToken) >= len(rows)
    with db.read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "resident.import"))
        assert entry.changes["imported"] == [None, len(rows)]
        assert entry.actor == "clerk"


def test_old_spellings_are_accepted_and_normalised(db, clerk, tmp_path):
    rows = demo_rows(5)
    rows[0]["AGAMA"], rows[1]["AGAMA"], rows[2]["JENIS_KLMIN"] = "KATHOLIK", "budha", "Perempuan"
    rows[2]["NIK"] = rows[2]["NIK"][:6] + f"{int(rows[2]['NIK'][6:8]) % 40 + 40:02d}" + rows[2]["NIK"][8:]
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk)
    assert report.errors == []
    with db.read() as session:
        stored = dict(session.execute(select(Resident.nik, Resident.agama)).all())
    assert stored[rows[0]["NIK"]] == "KATOLIK" and stored[rows[1]["NIK"]] == "BUDDHA"


def test_one_bad_row_imports_nothing_and_every_problem_is_reported(db, clerk, tmp_path):
    rows = demo_rows(30)
    rows[3]["TGL_LHR"] = "31-02-1980"
    rows[7]["AGAMA"] = "PASTAFARI"
    rows[7]["NO_RT"] = "abc"
    rows[9] = {**rows[8], "STAT_HBKEL": "ANAK"}
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk)
    found = {(e.line, e.column) for e in report.errors}
    assert {(5, "TGL_LHR"), (9, "AGAMA"), (9, "NO_RT"), (11, "NIK")} <= found
    assert any(e.reason == "appears twice in this file" for e in report.errors if e.line == 11)
    assert report.imported == 0
    assert count(db, Resident) == count(db, Family) == 0


def test_skip_invalid_imports_the_rest_and_writes_the_rejects(db, clerk, tmp_path):
    rows = demo_rows(30)
    rows[4]["GOL_DRH"] = "Z"
    rejects = tmp_path / "rejects.csv"
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk, skip_invalid=True,
                        rejects=rejects)
    assert report.imported == len(rows) - 1
    with rejects.open() as f:
        rejected = list(csv.DictReader(f))
    assert [(r["LINE"], r["NIK"]) for r in rejected] == [("6", rows[4]["NIK"])]
    assert "GOL_DRH" in rejected[0]["ERRORS"]


def test_a_family_without_its_head_is_rejected_whole(db, clerk, tmp_path):
    rows = demo_rows(30)
    kk = rows[0]["NO_KK"]
    members = [r for r in rows if r["NO_KK"] == kk]
    for r in members:
        r["STAT_HBKEL"] = "ANAK" if r["STAT_HBKEL"] == "KEPALA KELUARGA" else r["STAT_HBKEL"]
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk, skip_invalid=True)
    assert {e.reason for e in report.errors} == {f"family {kk} has no active KEPALA KELUARGA in the file"}
    assert report.imported == len(rows) - len(members)
    with db.read() as session:
        assert session.scalar(select(Family.id).where(Family.kk == kk)) is None
        assert count(db, Resident) == report.imported


def test_numbers_already_registered_are_reported(db, clerk, tmp_path):
    rows = demo_rows(10)
    import_csv(db, write(tmp_path / "a.csv", rows), clerk)
    report = import_csv(db, write(tmp_path / "b.csv", rows[:2]), clerk)
    assert [e.reason for e in report.errors] == ["is already registered"] * 2
    assert count(db, Resident) == len(rows)


def test_missing_columns_stop_before_anything(db, clerk, tmp_path):
    path = write(tmp_path / "in.csv", demo_rows(3), header=[h for h in HEADER if h != "AGAMA"])
    with pytest.raises(ImportFileError, match="AGAMA"):
        import_csv(db, path, clerk)


def test_export_then_import_reproduces_the_registry(db, clerk, tmp_path, sqlite_templates):
    from registry.db import Database

    import_csv(db, write(tmp_path / "in.csv", demo_rows(40)), clerk)
    out = io.StringIO()
    exported = export_csv(db, out)
    path = tmp_path / "out.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    (tmp_path / "copy").mkdir()
    copy = Database(sqlite_templates.fresh(tmp_path / "copy"))
    report = import_csv(copy, path, clerk)
    assert (report.errors, report.imported) == ([], exported)

    def snapshot(database):
        with database.read() as session:
            return sorted(session.execute(select(
                Resident.nik, Resident.nama, Resident.tanggal_lahir, Resident.agama,
                Resident.desa_code, Resident.rt, Resident.hubungan_keluarga, Family.kk,
            ).join(Family)).all())

    assert snapshot(copy) == snapshot(db)
    copy.dispose()


def test_a_file_that_is_not_utf8_is_refused_clearly(db, clerk, tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n\xff\xfe\x00garbage\n")
    with pytest.raises(ImportFileError, match="UTF-8"):
        import_csv(db, path, clerk)


@pytest.mark.parametrize("skip_invalid", [True, False])
def test_a_family_with_two_heads_is_reported_not_a_crash(db, clerk, tmp_path, skip_invalid):
    rows = demo_rows(30)
    kk = next(r["NO_KK"] for r in rows if sum(x["NO_KK"] == r["NO_KK"] for x in rows) > 1)
    members = [r for r in rows if r["NO_KK"] == kk]
    for r in members[:2]:
        r["STAT_HBKEL"] = "KEPALA KELUARGA"
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk, skip_invalid=skip_invalid)
    assert f"family {kk} would have 2 active KEPALA KELUARGA" in {e.reason for e in report.errors}
    with db.read() as session:
        assert session.scalar(select(Family.id).where(Family.kk == kk)) is None
        stored = session.scalar(select(func.count()).select_from(Resident))
    assert stored == (len(rows) - len(members) if skip_invalid else 0)


def test_a_second_head_for_a_registered_family_is_reported(db, clerk, tmp_path):
    rows = demo_rows(30)
    import_csv(db, write(tmp_path / "first.csv", rows[:20]), clerk)
    kk = next(r["NO_KK"] for r in rows[:20]
              if r["STAT_HBKEL"] == "KEPALA KELUARGA" and r["STATUS_PDDK"] in ("", "AKTIF"))
    newcomer = {**rows[20], "NO_KK": kk, "STAT_HBKEL": "KEPALA KELUARGA", "STATUS_PDDK": "AKTIF"}
    report = import_csv(db, write(tmp_path / "more.csv", [newcomer, *rows[21:]]), clerk,
                        skip_invalid=True)
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, f"family {kk} would have 2 active KEPALA KELUARGA")]
    with db.read() as session:
        assert session.scalar(select(Resident.id).where(Resident.nik == newcomer["NIK"])) is None
