"""The import's fast paths give what the plain ones give: the helper process, the row rules'
shortcut for good rows, and a first load that builds its indexes at the end."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select, text

from registry import importer, regions
from registry.csv_layout import HEADER
from registry.errors import RegistryError
from registry.importer import import_csv
from registry.models import Family, Resident, ResidentNameToken

from .test_import_export import demo_rows, write

ODD_VALUES = ["", " ", "x", "L", "P", "wna", "WNA", "01-01-2090", "31-02-1980", "1980-01-01",
              " kawin ", "budha", "0", "00", "1000", "12", "abc", "-", "33", "14", "99", "é",
              "A" * 61, "0000", "AKTIF", "pindah", "kepala", "12-12-2020", "ANAK"]


def snapshot(db) -> dict[str, list]:
    with db.read() as session:
        return {
            "residents": session.execute(select(
                Resident.id, Resident.nik, Resident.nama, Resident.name_key, Resident.tempat_lahir,
                Resident.tanggal_lahir, Resident.jenis_kelamin, Resident.golongan_darah,
                Resident.agama, Resident.status_perkawinan, Resident.pekerjaan,
                Resident.kewarganegaraan, Resident.itap_berlaku_hingga, Resident.alamat,
                Resident.rt, Resident.rw, Resident.desa_code, Resident.family_id,
                Resident.hubungan_keluarga, Resident.status, Resident.version,
            ).order_by(Resident.id)).all(),
            "families": session.execute(select(
                Family.id, Family.kk, Family.alamat, Family.rt, Family.rw, Family.desa_code,
            ).order_by(Family.id)).all(),
            "tokens": session.execute(select(
                ResidentNameToken.phrase, ResidentNameToken.resident_id,
                ResidentNameToken.desa_code,
            ).order_by(ResidentNameToken.phrase, ResidentNameToken.resident_id)).all(),
        }


def messy_rows(count: int, seed: int) -> list[dict[str, str]]:
    rows = demo_rows(count, seed=seed)
    rng = random.Random(seed)
    for row in rng.sample(rows, count // 10):
        column = rng.choice(list(row))
        row[column] = rng.choice([*ODD_VALUES, row[column].lower(), f" {row[column]} "])
    return rows


@pytest.fixture
def second_url(request, db_url, tmp_path):
    """Another fresh database on the same backend as ``db_url``."""
    backend = request.node.callspec.params["db_url"]
    (tmp_path / "second").mkdir()
    return request.getfixturevalue(f"{backend}_templates").fresh(tmp_path / "second")


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_the_helper_process_gives_what_checking_in_process_gives(
        db_url, second_url, clerk, tmp_path, monkeypatch, skip_invalid):
    from registry.db import Database

    path = write(tmp_path / "in.csv", messy_rows(300, seed=3))
    results = []
    for name, threshold in (("inline", 1 << 40), ("helper", 0)):
        monkeypatch.setattr(importer, "PARALLEL_FROM_BYTES", threshold)
        database = Database(db_url if name == "inline" else second_url)
        seen: list[int] = []
        report = import_csv(database, path, clerk, skip_invalid=skip_invalid,
                            rejects=tmp_path / f"{name}.rejects.csv", progress=seen.append)
        results.append((report, snapshot(database), sum(seen),
                        (tmp_path / f"{name}.rejects.csv").read_text() if skip_invalid else ""))
        database.dispose()
    (inline, inline_rows, inline_seen, inline_rejects), (helper, helper_rows, helper_seen,
                                                         helper_rejects) = results
    assert inline.errors and helper.errors == inline.errors
    assert helper.warnings == inline.warnings
    assert (helper.rows, helper.imported, helper.families_created) == (
        inline.rows, inline.imported, inline.families_created)
    assert helper_rows == inline_rows and helper_seen == inline_seen == inline.rows
    assert helper_rejects == inline_rejects
    assert bool(inline.imported) == skip_invalid


def test_a_file_checked_in_the_helper_reports_its_read_errors(db, clerk, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "PARALLEL_FROM_BYTES", 0)
    path = tmp_path / "in.csv"
    path.write_text("NIK,NO_KK\n1,2\n", encoding="utf-8")
    with pytest.raises(importer.ImportFileError, match="missing columns"):
        import_csv(db, path, clerk)


@pytest.mark.parametrize("memo_size", [0, 50_000])  # cleaning every value, or remembering it
def test_the_shortcut_for_good_rows_agrees_with_every_rule(db, monkeypatch, memo_size):
    monkeypatch.setattr(importer, "MEMO_SIZE", memo_size)
    with db.read() as session:
        index = regions.index(session)
        rules = importer._Rules(index, session.connection().dialect, HEADER)
    rng = random.Random(11)
    taken = 0
    areas = {"33.14.10": ["33.14.10.1001", "33.14.10.1002"], "33.14.01": ["33.14.01.2001"]}
    assert all(index.is_desa(d) for desas in areas.values() for d in desas)
    for line, row in enumerate(demo_rows(400, seed=5), start=2):
        variants = [row, {**row, "KWRNGRN": "WNA", "TGL_AKH_ITAP": "01-01-2030"},
                    {**row, "NIK": row["NIK"][:2] + "9999" + row["NIK"][6:]}]
        for _ in range(4):
            odd = dict(row)
            column = rng.choice(list(odd))
            odd[column] = rng.choice([*ODD_VALUES, odd[column][:-1], odd[column] + "1",
                                      odd[column].lower(), f" {odd[column]} "])
            variants.append(odd)
        for raw in variants:
            full = rules.row(line, raw)
            fast = rules.fast([raw[c] for c in HEADER])
            if fast is None:
                continue
            taken += 1
            assert full[5] == [] and full[6] == []
            assert (line, *fast[:4], fast[6]) == (*full[:5], full[7])
    assert taken > 400


BULK_TABLES = ("residents", "families", "resident_name_tokens")


def schema_of_bulk_tables(db) -> list:
    """The indexes and constraints of the imported tables, as the database stores them
    (reflection skips an index on an expression)."""
    with db.read() as session:
        if db.is_sqlite:
            return session.execute(text(
                "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name "
                f"IN {BULK_TABLES} ORDER BY name")).all()
        return session.execute(text(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:t) "
            "UNION ALL SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "WHERE t.relname = ANY(:t) ORDER BY 2, 3"), {"t": list(BULK_TABLES)}).all()


def test_a_first_load_keeps_every_index_and_constraint(db, clerk, tmp_path):
    before = schema_of_bulk_tables(db)
    names = {name for _, name, _ in before}
    assert "ix_resident_name_tokens_kecamatan_phrase" in names
    assert db.is_sqlite or "fk_residents_family_id_families" in names
    report = import_csv(db, write(tmp_path / "in.csv", demo_rows(50)), clerk)
    assert report.imported and not report.errors
    assert schema_of_bulk_tables(db) == before
    second = import_csv(db, write(tmp_path / "b.csv", demo_rows(20, seed=9)), clerk)
    assert second.imported and schema_of_bulk_tables(db) == before


def test_a_first_load_that_fails_leaves_nothing_and_every_index(db, clerk, tmp_path):
    before = schema_of_bulk_tables(db)
    rows = demo_rows(40)
    rows[-1]["NIK"] = rows[0]["NIK"]
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk)
    assert report.errors and report.imported == 0
    assert schema_of_bulk_tables(db) == before
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 0


@pytest.mark.postgres
def test_a_large_import_leaves_postgresql_ready_to_search_what_it_added(
        postgresql_templates, clerk, tmp_path, monkeypatch):
    from registry.db import Database

    db = Database(postgresql_templates.fresh(tmp_path))
    monkeypatch.setattr(importer, "SETTLE_FROM_ROWS", 30)

    def estimated(table):  # rows known to the planner (-1: never analysed), pages all-visible
        with db.read() as session:
            return tuple(session.execute(text(
                "SELECT reltuples, relallvisible = relpages FROM pg_class WHERE relname = :t"),
                {"t": table}).one())

    assert estimated("residents")[0] == -1
    report = import_csv(db, write(tmp_path / "in.csv", demo_rows(40)), clerk)
    assert estimated("residents") == (report.imported, True) and report.imported >= 40
    assert estimated("resident_name_tokens")[0] > report.imported
    db.dispose()


def test_a_first_load_still_refuses_a_row_that_breaks_a_check_constraint(sqlite_url, clerk,
                                                                         tmp_path, monkeypatch):
    """A first load tests the CHECK constraints once at the end instead of row by row; a row
    that would break one (here: the rules wrongly let it through) still imports nothing."""
    from registry.db import Database

    monkeypatch.setitem(importer._FAST_CLEANERS, "jenis_kelamin", lambda value: "X")
    db = Database(sqlite_url)
    with pytest.raises(RegistryError, match="CHECK constraint of residents"):
        import_csv(db, write(tmp_path / "in.csv", demo_rows(40)), clerk)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 0
        assert session.execute(text("PRAGMA ignore_check_constraints")).scalar() == 0
    db.dispose()


def test_rows_of_another_shape_are_read_as_csv_dictreader_reads_them(db, clerk, tmp_path):
    """Without the optional columns, with a blank line, a row cut short and a row with a field
    too many: the short row is reported, the others are imported."""
    rows = demo_rows(12)
    header = [c for c in HEADER if c not in ("TGL_AKH_ITAP", "STATUS_PDDK")]
    lines = [",".join(header)] + [",".join(row[c] for c in header) for row in rows]
    short = next(i for i, row in enumerate(rows, 1) if row["STAT_HBKEL"] != "KEPALA KELUARGA")
    lines[short] = lines[short].rsplit(",", 3)[0]
    lines[1] += ",EXTRA"
    lines.insert(3, "")
    path = tmp_path / "in.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_csv(db, path, clerk, skip_invalid=True)
    line = short + 1 + (short >= 3)
    assert {e.line for e in report.errors} == {line}
    assert {e.column for e in report.errors} >= {"NO_KEL"}
    assert report.rows == len(rows) and report.imported == len(rows) - 1
