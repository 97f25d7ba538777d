"""The Flask service: application factory wiring the registry, card printing and drivers."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from . import config, i18n
from .jsonio import IsoJSONProvider


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``test_config`` replaces the instance file and environment (tests)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("KTP_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    app.json = IsoJSONProvider(app)
    config.load(app, test_config)
    i18n.init_app(app)
    _configure_database(app)
    _configure_auth(app)
    _configure_api(app)
    _configure_pages(app)
    _configure_cli(app)
    return app


def _configure_database(app: Flask) -> None:
    from .database import init_app

    init_app(app)


def _configure_auth(app: Flask) -> None:
    from .auth import init_app

    init_app(app)


def _configure_api(app: Flask) -> None:
    from .api import init_app

    init_app(app)


def _configure_pages(app: Flask) -> None:
    from . import batches, evaluation, web
    from .health import bp

    app.register_blueprint(bp)
    for feature in (web, batches, evaluation):
        feature.init_app(app)


def _configure_cli(app: Flask) -> None:
    from .cli import init_app

    init_app(app)
