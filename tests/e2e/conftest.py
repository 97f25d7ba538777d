"""Browser tests: a real HTTP server and Debian's chromium driven by Playwright. Every test in
``tests/e2e`` is marked ``browser`` automatically; the fixtures (``live_server``, ``browser``,
``page``) are in ``tests/conftest.py``, for a browser test of any feature.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
