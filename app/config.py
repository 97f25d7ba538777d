"""One configuration path: these defaults, then the instance ``config.py``, then ``KTP_*``
environment variables (``KTP_DATABASE_URL``, ``KTP_SECRET_KEY``, ...; values are read as JSON
when they parse, so ``KTP_PHOTO_MAX_BYTES=2000000`` is a number)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask


class Defaults:
    DATABASE_URL: str | None = None  # None: SQLite file ktp.sqlite in the instance folder
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    SECRET_KEY: str | None = None  # None: generated once and kept in the instance folder
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    IDLE_TIMEOUT_MINUTES = 30
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    PHOTO_MAX_BYTES = 5_000_000
    MAX_CONTENT_LENGTH = 16_000_000
    JSON_SORT_KEYS = False
    # Flask-Babel: Bahasa Indonesia by default, English selectable. Each feature package keeps
    # its own catalog (msgids in English); Flask-Babel merges the directories.
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = "web/translations;batches/translations;evaluation/translations"
    LANGUAGES = ("id", "en")
    # flask-smorest: the OpenAPI document served at /api/v1/openapi.json
    API_TITLE = "KTP Registry"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS: dict[str, Any] = {
        "info": {"description": "Resident registry and KTP card printing (Dukcapil)."},
        "components": {"securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer",
                           "description": "A token from `ktp tokens create USER`."},
        }},
        "security": [{"bearerAuth": []}],
    }


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("KTP")
    else:
        app.config.update(test_config)
    instance = Path(app.instance_path)
    if not app.config["DATABASE_URL"]:
        instance.mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'ktp.sqlite'}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance)


def _instance_secret(instance: Path) -> str:
    """A secret key generated on first start and kept, so sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
