"""The registry database of the running app, and the acting user's `Actor`.

A database URL that names no usable database, or a server that does not answer, is an
operator's mistake, not a bug: it surfaces as a `DatabaseUnavailableError` (a `RegistryError`,
so a `ktp` command prints it as one line and exits non-zero) with the URL, password hidden.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from registry.audit import Actor
from registry.db import Database
from registry.errors import RegistryError


class DatabaseUnavailableError(OperationalError, RegistryError):
    """The database cannot be used: its URL names no database SQLAlchemy can reach, or
    connecting to it failed. An `OperationalError` still, for code that handles a lost
    server."""

    def __init__(self, message: str, orig: BaseException | None = None) -> None:
        OperationalError.__init__(self, None, None, orig or Exception(message))
        self.message = message

    def __str__(self) -> str:
        return self.message


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


class _Unusable:
    """Stands in for a `Database` whose URL cannot make an engine, so that the app (and
    ``ktp --help``) still starts and each use says what is wrong."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __getattr__(self, name: str) -> NoReturn:
        raise DatabaseUnavailableError(self.message)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _on_connect_failure(database: Database) -> None:
    """A connection that cannot be made (server down, wrong host or port, no such file) says
    so in one line. Only the connect itself: errors of statements, and of pool pre-pings,
    keep their own types."""
    shown = _shown(database.url)
    hint = ("does its folder exist, and may this user write there?" if database.is_sqlite
            else "is the server running, and is KTP_DATABASE_URL right?")

    @event.listens_for(database.engine, "handle_error")
    def _connect_failed(context: Any) -> None:
        if context.connection is None and not context.is_pre_ping and isinstance(
                context.sqlalchemy_exception, OperationalError):
            raise DatabaseUnavailableError(
                f"cannot connect to the database {shown}: {_first_line(context.original_exception)}"
                f" ({hint})", context.original_exception) from None


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    try:
        database: Any = Database(url, busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
    except ArgumentError as exc:  # NoSuchModuleError too: an unknown dialect or driver
        database = _Unusable(
            f"the database URL {_shown(url)} is not one this service can use ({exc}); "
            "set KTP_DATABASE_URL to sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME")
    else:
        _on_connect_failure(database)
    app.extensions["ktp.db"] = database


def db() -> Database:
    return current_app.extensions["ktp.db"]


def actor() -> Actor:
    """Who the current request or command acts for (set by authentication or the CLI)."""
    return g.get("actor") or Actor("system")
