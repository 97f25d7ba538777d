"""Engines and short transactions, the same way on SQLite and PostgreSQL.

SQLite is the embedded default: WAL so readers never wait for the writer, a busy timeout so
writers queue instead of failing, foreign keys on, and every write transaction opened with
``BEGIN IMMEDIATE`` so two writers cannot both read-then-write and deadlock on the upgrade
from a shared to a write lock. Reads keep a plain deferred ``BEGIN``.

A commit survives the process crashing. Only a *durable* one (`Database.write`) is sure to
survive the machine losing power right after: that is the commit before something irreversible
happens outside the database, such as the bytes of a card going to a printer. The others may
return before they reach the disk (SQLite's ``synchronous = NORMAL``; on PostgreSQL, a
connection given `relax_commits`); a power cut can undo the last of them, never one made
before a durable commit, which flushes everything before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

_WRITE = "ktp_write"
_DURABLE = "ktp_durable"
_RELAXED = "ktp_relaxed_commits"  # in a PostgreSQL connection's info: `relax_commits` ran
_SYNCHRONOUS = "ktp_synchronous"  # in a SQLite connection's info: its synchronous level
CACHE_KIB = 65_536
CONNECT_TIMEOUT_S = 10


class Database:
    def __init__(self, url: str, *, busy_timeout_ms: int = 30_000, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.cache_kib = CACHE_KIB
        kwargs: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=20,
                          connect_args=_connect_args(url))
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine, busy_timeout_ms)
        else:
            _configure_postgresql(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = {durable: sessionmaker(self.engine.execution_options(
            **write_options(durable)), expire_on_commit=False) for durable in (False, True)}

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries. Closing it rolls back anything written; loaded objects stay
        readable afterwards (detached), which is what views rendering them need."""
        with self._read() as session:
            yield session

    @contextmanager
    def write(self, *, durable: bool = False) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any exception.
        ``durable``: on disk when the block ends, whatever happens next (module docstring)."""
        with self._write[durable]() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _connect_args(url: str) -> dict[str, Any]:
    """libpq's ``connect_timeout`` unless the URL sets its own: a server that never answers
    (a firewall dropping packets, a host gone) is an error after seconds, not a command or a
    page hanging for minutes on the operating system's TCP timeout."""
    parsed = make_url(url)
    libpq = parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in (
        "psycopg", "psycopg2")
    if libpq and "connect_timeout" not in parsed.query:
        return {"connect_timeout": CONNECT_TIMEOUT_S}
    return {}


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the sqlite3 module, decide how a transaction opens.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # 64 MB of page cache: index upkeep on a million-row table stays in memory.
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        # A FULL commit syncs the log to disk, and with it every commit before; SQLite refuses
        # to change the level inside a transaction, so it is set before, when it changes.
        level = "FULL" if options.get(_DURABLE) else "NORMAL"
        if connection.info.get(_SYNCHRONOUS, "NORMAL") != level:
            connection.exec_driver_sql(f"PRAGMA synchronous = {level}")
            connection.info[_SYNCHRONOUS] = level
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_WRITE) else "BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.info.get(_RELAXED) and connection.get_execution_options().get(_DURABLE):
            connection.exec_driver_sql("SET LOCAL synchronous_commit TO on")


def write_options(durable: bool = False) -> dict[str, Any]:
    """The execution options that make a connection's next transaction a write (``BEGIN
    IMMEDIATE`` on SQLite), durable or not; for a caller that keeps its own connection."""
    return {_WRITE: True, _DURABLE: durable}


def relax_commits(connection: Connection) -> None:
    """Let this PostgreSQL connection's commits return before the server has flushed them to
    disk, except the durable ones: for a process committing several times a card (a batch
    worker), where waiting for the disk at each was a third of its time. The connection keeps
    the setting until `strict_commits`. On SQLite commits are relaxed already."""
    if connection.dialect.name == "postgresql" and not connection.info.get(_RELAXED):
        connection.exec_driver_sql("SET synchronous_commit TO off")
        connection.commit()
        connection.info[_RELAXED] = True


def strict_commits(connection: Connection) -> None:
    """Undo `relax_commits`, before the connection goes back to the pool."""
    if connection.info.pop(_RELAXED, False):
        connection.exec_driver_sql("RESET synchronous_commit")
        connection.commit()
