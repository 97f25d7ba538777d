"""Fixtures shared by every test package: fresh databases on each backend."""

from __future__ import annotations

import os

import pytest

from registry.audit import Actor
from registry.db import Database

from .databases import POSTGRES_URL, PostgresTemplates, SqliteTemplates

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory):
    return SqliteTemplates(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgresql_templates():
    if not POSTGRES_URL:
        if os.environ.get("KTP_REQUIRE_POSTGRES"):
            pytest.fail("KTP_REQUIRE_POSTGRES is set but KTP_TEST_POSTGRES_URL is not")
        pytest.skip("set KTP_TEST_POSTGRES_URL to run the PostgreSQL tests (.ci/run does)")
    templates = PostgresTemplates(POSTGRES_URL)
    yield templates
    templates.close()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A URL of a fresh, migrated database with regions loaded, on each backend."""
    templates = request.getfixturevalue(f"{request.param}_templates")
    return templates.fresh(tmp_path)


@pytest.fixture
def sqlite_url(sqlite_templates, tmp_path):
    return sqlite_templates.fresh(tmp_path)


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def clerk():
    return Actor("clerk", office_code="33.14", user_id=None, role="operator")


@pytest.fixture
def client(app):
    """For the test folders whose conftest defines ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(autouse=True)
def _forget_virtual_printers():
    """In-process virtual printers are named process-wide; each test starts without any."""
    from drivers.virtual import registry

    yield
    for name in registry.names():
        registry.unregister(name)
