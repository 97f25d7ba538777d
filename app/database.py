"""The registry database of the running app, and the acting user's `Actor`."""

from __future__ import annotations

from flask import Flask, current_app, g

from registry.audit import Actor
from registry.db import Database


def init_app(app: Flask) -> None:
    app.extensions["ktp.db"] = Database(
        app.config["DATABASE_URL"], busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"]
    )


def db() -> Database:
    return current_app.extensions["ktp.db"]


def actor() -> Actor:
    """Who the current request or command acts for (set by authentication or the CLI)."""
    return g.get("actor") or Actor("system")
