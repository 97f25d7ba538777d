"""Number searches answer as `registry.search` does, at every office level."""

from __future__ import annotations

import datetime as dt

import pytest

from registry import lookup, residents, search
from tests.registry.factories import resident_fields

from .conftest import actor

PLACES = ["33.14.10.1001", "33.14.10.1002", "33.14.01.2001", "31.71.01.1001"]


@pytest.fixture
def registry(db):
    with db.write() as session:
        for n in range(24):
            registered = residents.register(session, actor("kpt"), resident_fields(
                nama=f"WARGA {chr(65 + n)}", desa_code=PLACES[n % 4],
                tanggal_lahir=dt.date(1980 + n % 3, 8, 17)), confirm_duplicate=True)
        kk = registered.family.kk
    return db, kk


@pytest.mark.parametrize("area", [None, "33", "33.14", "33.14.10", "33.14.10.1001", "31.71"])
def test_a_number_search_finds_what_the_registry_search_finds(registry, area):
    database, kk = registry
    with database.read() as session:
        niks = [r.nik for r in search.search(session, "warga", per_page=100).items]
        for digits in {"3314", "331410", niks[0][:10], niks[0], niks[-1], kk, "9999"}:
            for page in (1, 2):
                ours = lookup.by_number(session, digits, area=area, page=page, per_page=5)
                theirs = search.search(session, digits, area=area, page=page, per_page=5)
                assert [r.nik for r in ours.items] == [r.nik for r in theirs.items], digits
                assert (ours.total, ours.total_capped) == (theirs.total,
                                                           theirs.total_capped), digits
