"""Searches by prefix and the name ranking work in a PostgreSQL database made with a
linguistic locale, one that compares dots and spaces last as glibc's ``en_US.UTF-8`` and
``id_ID.UTF-8`` do (here ICU's ``en-US`` with punctuation shifted, which every PostgreSQL with
ICU has, whatever locales the machine installed)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from registry import residents, search
from registry.db import Database

from .factories import SRAGEN_DESA, resident_fields

pytestmark = pytest.mark.postgres

LINGUISTIC = "LOCALE_PROVIDER icu ICU_LOCALE 'en-US-u-ka-shifted'"


@pytest.fixture(scope="module")
def linguistic_db(postgresql_templates):
    db = Database(postgresql_templates.built_with(LINGUISTIC))
    yield db
    db.dispose()


def test_a_linguistic_database_finds_a_kecamatans_residents_in_byte_order(linguistic_db, clerk):
    db = linguistic_db
    with db.read() as session:  # the trap: the database's own order puts the bound first
        assert session.scalar(text("SELECT '33.14.10/' < '33.14.10.1001'"))
        assert session.scalar(text("SELECT 'sriwati' < 'sri yanti'"))
    with db.write() as session:
        registered = [residents.register(session, clerk, resident_fields(
            nama=name, tanggal_lahir=dt.date(1980, 1, 1) + dt.timedelta(days=i)),
            confirm_duplicate=True) for i, name in enumerate(["SRIWATI", "SRI YANTI"])]
        niks = [r.nik for r in registered]
    with db.read() as session:
        for area in (None, "33.14.10", SRAGEN_DESA):
            found = search.search(session, "sri", area=area)
            assert [r.nama for r in found.items] == ["SRI YANTI", "SRIWATI"], area
        by_prefix = search.search(session, niks[0][:6])
        assert {r.nik for r in by_prefix.items} == set(niks)
