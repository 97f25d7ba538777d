"""One configuration path: these defaults, then the instance ``config.py``, then ``KTP_*``
environment variables (``KTP_DATABASE_URL``, ``KTP_SECRET_KEY``, ...; values are read as JSON
when they parse, so ``KTP_PHOTO_MAX_BYTES=2000000`` is a number)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

import printing


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
    PHOTO_MAX_BYTES = 5_000_000  # a photo or signature upload (`KTP_PHOTO_MAX_BYTES`)
    # The largest request body; None: derived from PHOTO_MAX_BYTES (see `request_limit`). A value
    # set here can raise the derived one, never lower it below what a photo upload needs.
    MAX_CONTENT_LENGTH: int | None = None
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
    app.config["MAX_CONTENT_LENGTH"] = request_limit(app.config)


# Other uploads (a CSV of up to 200,000 NIKs for a batch) need this much whatever the photo limit.
REQUEST_FLOOR = 16_000_000
# Around a photo in a request: a form's other fields and multipart framing, and a drawn
# signature sent as a base64 data URL (4/3 of its bytes).
REQUEST_HEADROOM = 1_000_000


def request_limit(config: Mapping[str, Any]) -> int:
    """The largest request body Flask accepts (larger: 413): room for the largest photo the
    configuration allows, base64-encoded, plus headroom, and never below `REQUEST_FLOOR`, so
    that raising ``PHOTO_MAX_BYTES`` is never silently capped by the request limit."""
    photo = int(config["PHOTO_MAX_BYTES"])
    needed = max(REQUEST_FLOOR, -(-photo * 4 // 3) + REQUEST_HEADROOM)
    configured = config.get("MAX_CONTENT_LENGTH")
    return max(needed, int(configured)) if configured else needed


def too_large_message(config: Mapping[str, Any]) -> str:
    """What a 413 says (English; code ``request-too-large``, params ``limit`` and
    ``photo_limit`` in bytes, for a translated page)."""
    return (f"the upload is larger than the {printing.format_bytes(config['MAX_CONTENT_LENGTH'])} "
            f"this service accepts; a photo or signature may be at most "
            f"{printing.format_bytes(config['PHOTO_MAX_BYTES'])}")


def _instance_secret(instance: Path) -> str:
    """A secret key generated on first start and kept, so sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
