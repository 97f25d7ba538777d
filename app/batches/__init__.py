"""Batch reprint jobs and the print workers (issue: batch reprints)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the batch API, pages and commands."""
    from flask_babel import lazy_gettext as _l

    from app.api import api
    from app.web.nav import register_nav

    from . import cli, source, views  # noqa: F401  (source registers batch cards with issuance)
    from .api import blp

    api.register_blueprint(blp)
    app.register_blueprint(views.bp)
    register_nav(_l("Batches"), "batches.index", order=60)
    for command in cli.commands:
        app.cli.add_command(command)
