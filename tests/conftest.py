"""Fixtures shared by every test package: fresh databases on each backend, and for browser tests
a live server, one chromium per test process, and a page.

``live_server``
    A `tests.e2e.live.LiveServer` on a fresh SQLite database (a copy of the migrated template
    with the region list): offices 33.14 (Kabupaten Sragen), 33.14.10, 33.14.01 and 31.71;
    clerks ``admin``, ``kpt``, ``sragen``, ``kalijambe``, ``supervisor``, ``jakarta`` (roles
    and offices in ``live.CLERKS``; password ``live.PASSWORD``); a virtual printer
    ``counter-1`` at 33.14 that prints instantly; 50 blank cards at 33.14. CSRF is on, as in
    production. Seed more through ``live_server.write()`` (a registry session in the app
    context), ``live_server.resident(...)`` (returns the NIK) and ``live_server.actor(name)``;
    reach the virtual printer with ``live_server.printer_device()`` (load cards, inject a
    fault, slow it down); read ``live_server.url`` / ``live_server.path("/x")``.
    Another configuration: ``@pytest.mark.parametrize("live_config", [{...}], indirect=True)``.

``browser``
    One headless chromium per test process (``/usr/bin/chromium``; no browser is ever
    downloaded), defined here once: Playwright's sync API refuses a second instance in the
    same thread, which a copy of this fixture in another package would start. Skipped, with
    the reason, when chromium is not installed.

``page``
    A fresh browser context and page per test (no shared cookies), 1366x900, the id-ID
    locale of an office PC (date fields read DD/MM/YYYY), with ``base_url`` set, so
    ``page.goto("/residents")`` works. Sign in with ``live_server.login(page, "kpt")``.

Example::

    @pytest.mark.browser
    def test_a_supervisor_sees_the_audit(live_server, page):
        live_server.login(page, "supervisor")
        page.goto("/audit")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
"""

from __future__ import annotations

import os

import pytest

from registry.audit import Actor
from registry.db import Database

from .databases import POSTGRES_URL, PostgresTemplates, SqliteTemplates
from .e2e.live import CHROMIUM, LiveServer, launch_chromium

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


@pytest.fixture
def live_config(request) -> dict:
    """Extra app configuration for `live_server` (parametrize indirectly to change it)."""
    return getattr(request, "param", {})


@pytest.fixture
def live_server(sqlite_url, tmp_path, live_config):
    server = LiveServer.start(sqlite_url, tmp_path / "instance", live_config)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it: "
                    "scripts/ensure-system-deps)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID",
                                  viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
