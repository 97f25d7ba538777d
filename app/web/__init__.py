"""The service counter: server-rendered pages for clerks (issue: the service counter)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the counter's blueprints, Babel, CSRF and session handling."""
