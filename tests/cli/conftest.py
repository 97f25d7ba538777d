"""The `ktp` commands on an app with a fresh database, offices and clerks (the API tests'
fixtures); ``runner`` and ``client`` come from tests/conftest.py."""

from __future__ import annotations

from tests.app.conftest import app  # noqa: F401  (a fixture)
