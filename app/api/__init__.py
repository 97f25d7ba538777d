"""`/api/v1`: the JSON API, its OpenAPI document, and its error format."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from . import access, errors, text

api = Api()


def init_app(app: Flask) -> None:
    from .cards import blp as cards
    from .printers import blp as printers
    from .residents import blp as residents

    api.init_app(app)
    api.register_blueprint(residents)
    api.register_blueprint(printers)
    api.register_blueprint(cards)
    errors.register(app)
    access.register(app)
    text.register(app)
