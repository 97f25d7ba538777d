"""The one-head rule of an import, judged on the rows that can be imported, with each reason
on the rows that cause it; and KK numbers checked like NIKs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.importer import import_csv
from registry.models import Family, Resident

from .test_import_export import count, demo_rows, write


def a_family(rows: list[dict[str, str]], size: int = 3) -> tuple[str, list[dict[str, str]]]:
    """The KK of a family of at least ``size`` with one active head, and its rows."""
    for row in rows:
        members = [r for r in rows if r["NO_KK"] == row["NO_KK"]]
        heads = [r for r in members if r["STAT_HBKEL"] == "KEPALA KELUARGA"
                 and r["STATUS_PDDK"] in ("", "AKTIF")]
        if len(members) >= size and len(heads) == 1:
            return row["NO_KK"], members
    raise AssertionError("no such family in the demo rows")


def registered(db, nik: str) -> bool:
    with db.read() as session:
        return session.scalar(select(Resident.id).where(Resident.nik == nik)) is not None


def test_an_invalid_row_saying_kepala_keluarga_is_no_second_head(db, clerk, tmp_path):
    rows = demo_rows(40)
    _, members = a_family(rows)
    stray = {**members[-1], "NIK": "123", "STAT_HBKEL": "KEPALA KELUARGA"}
    rows.append(stray)
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk, skip_invalid=True)
    assert [(e.line, e.column) for e in report.errors] == [(len(rows) + 1, "NIK")]
    assert report.imported == len(rows) - 1
    assert all(registered(db, m["NIK"]) for m in members)


def test_a_family_whose_only_head_is_invalid_says_so(db, clerk, tmp_path):
    rows = demo_rows(40)
    _, members = a_family(rows)
    head = next(r for r in members if r["STAT_HBKEL"] == "KEPALA KELUARGA")
    head["TGL_LHR"] = "31-02-1980"
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk, skip_invalid=True)
    head_line = rows.index(head) + 2
    reasons = {e.line: e.reason for e in report.errors if e.column == "STAT_HBKEL"}
    assert set(reasons) == {rows.index(m) + 2 for m in members if m is not head}
    assert all(f"(its KEPALA KELUARGA on line {head_line} is rejected)" in r
               for r in reasons.values())
    assert report.imported == len(rows) - len(members)


def test_a_member_joining_a_registered_family_is_no_error_when_another_row_is_bad(
        db, clerk, tmp_path):
    rows = demo_rows(40)
    kk, members = a_family(rows)
    first = [r for r in rows if r not in members[1:]]
    import_csv(db, write(tmp_path / "first.csv", first), clerk)
    other = next(r for r in rows if r["NO_KK"] != kk)
    bad = {**other, "NIK": other["NIK"][:-4] + "9999", "AGAMA": "PASTAFARI"}
    report = import_csv(db, write(tmp_path / "more.csv", [*members[1:], bad]), clerk)
    assert [(e.line, e.column) for e in report.errors] == [(len(members) + 1, "AGAMA")]
    assert report.imported == 0 and not registered(db, members[1]["NIK"])


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_two_heads_are_reported_on_the_head_rows(db, clerk, tmp_path, skip_invalid):
    rows = demo_rows(40)
    kk, members = a_family(rows)
    second = next(r for r in members if r["STAT_HBKEL"] != "KEPALA KELUARGA")
    second["STAT_HBKEL"] = "KEPALA KELUARGA"
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk, skip_invalid=skip_invalid)
    lines = {rows.index(m) + 2: m for m in members}
    heads = {line for line, m in lines.items() if m["STAT_HBKEL"] == "KEPALA KELUARGA"}
    by_line = {e.line: e.reason for e in report.errors}
    assert {line for line in heads} <= set(by_line)
    assert all(by_line[line] == f"family {kk} would have 2 active KEPALA KELUARGA"
               for line in heads)
    others = set(lines) - heads
    if skip_invalid:  # rejected with the family, each saying why
        assert all(by_line[line].startswith(f"not imported: family {kk} has 2")
                   for line in others)
        assert report.imported == len(rows) - len(members)
    else:  # nothing is wrong with them
        assert not others & set(by_line)
        assert report.imported == 0


def test_a_rejected_family_never_removes_a_registered_resident(db, clerk, tmp_path):
    rows = demo_rows(40)
    import_csv(db, write(tmp_path / "first.csv", rows[:10]), clerk)
    kk, members = a_family(rows[10:])
    members[1]["STAT_HBKEL"] = "KEPALA KELUARGA"  # two heads: the family is rejected
    again = {**rows[0], "NO_KK": kk}  # a registered NIK, said to be of that family
    report = import_csv(db, write(tmp_path / "more.csv", [*members, again]), clerk,
                        skip_invalid=True)
    assert (len(members) + 2, "is already registered") in {(e.line, e.reason)
                                                            for e in report.errors}
    assert registered(db, rows[0]["NIK"])


@pytest.mark.parametrize("kk, error", [
    ("0000000000000000", "province 00 does not exist"),
    ("3399101708800001", "kabupaten/kota 33.99 does not exist"),
    ("33141017088000０1", "KK number must be exactly 16 digits"),
])
def test_a_kk_number_of_no_region_is_an_error(db, clerk, tmp_path, kk, error):
    rows = demo_rows(20)
    _, members = a_family(rows, size=1)
    for member in members:
        member["NO_KK"] = kk
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk, skip_invalid=True)
    lines = {rows.index(m) + 2 for m in members}
    assert {(e.line, e.column, e.reason) for e in report.errors} == {
        (line, "NO_KK", error) for line in lines}
    assert count(db, Family) == report.families_created


@pytest.mark.parametrize("kk, warning", [
    ("3314991708800001", "kecamatan 33.14.99 is not in today's region list"),
    ("3314103502800001", "date part 350280 is not a date"),
    ("3314101708800000", "serial 0000"),
])
def test_a_kk_number_that_may_be_right_is_a_warning(db, clerk, tmp_path, kk, warning):
    rows = demo_rows(20)
    _, members = a_family(rows, size=1)
    for member in members:
        member["NO_KK"] = kk
    report = import_csv(db, write(tmp_path / "in.csv", rows), clerk)
    assert report.errors == [] and report.imported == len(rows)
    assert {(e.line, e.column) for e in report.warnings} == {
        (rows.index(m) + 2, "NO_KK") for m in members}
    assert all(warning in e.reason for e in report.warnings)
    with db.read() as session:
        assert session.scalar(select(Family.id).where(Family.kk == kk)) is not None
