"""The `ktp` console script: Flask's CLI, with the registry's commands on ``app.cli``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def init_app(app: Flask) -> None:
    from . import cards, data, people, printing, service, setup

    for module in (setup, people, data, cards, printing, service):
        for command in module.commands:
            app.cli.add_command(command)


def _create_app() -> Flask:
    from .. import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             set_debug_flag=False, load_dotenv=False)
def cli() -> None:
    """KTP resident registry and card printing."""


def main() -> None:
    cli(prog_name="ktp")
