"""Bahasa Indonesia by default, English when the clerk chooses it (Flask-Babel)."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import Babel

babel = Babel()


def select_locale() -> str:
    """The clerk's choice (kept in the session), else Bahasa Indonesia."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") or session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
