"""Browser tests: a real HTTP server and Debian's chromium driven by Playwright.

Every test in ``tests/e2e`` is marked ``browser`` automatically. Fixtures for any feature:

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
    downloaded). Skipped, with the reason, when chromium is not installed.

``page``
    A fresh browser context and page per test (no shared cookies), 1366x900, the id-ID
    locale of an office PC (date fields read DD/MM/YYYY), with ``base_url`` set, so
    ``page.goto("/residents")`` works. Sign in with
    ``live_server.login(page, "kpt")``.

Example::

    @pytest.mark.browser
    def test_a_supervisor_sees_the_audit(live_server, page):
        live_server.login(page, "supervisor")
        page.goto("/audit")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .live import CHROMIUM, LiveServer, launch_chromium

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _forget_region_indexes():
    """`registry.regions` keeps one region index (~18 MB) per database URL for the life of the
    process; each live server has its own database."""
    from registry import regions

    yield
    regions._cache.clear()


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
