"""The database as one printer loop uses it: a card is three short write transactions in a row
(take, counter, close), and the loop runs them on one connection and one session it keeps while
cards follow each other, instead of taking a connection from the pool and making a session for
each.

Taking a connection from the pool and giving it back, and a session made, bound to the engine,
and closed for every transaction, cost about as much CPU as the statements themselves
(SQLAlchemy's bookkeeping, and on PostgreSQL a ping of the server). The kept session is emptied
after each transaction, so each starts as a new one would: nothing loaded by an earlier
transaction is taken for current. A connection left unused for `KEEP_SECONDS` goes back to the
pool, so after a long print or an idle spell the next transaction takes a fresh one, checked by
the pool as before; one that failed (a lost server) is never used again.

On SQLite the kept connection has a small page cache (`PAGE_CACHE_KIB`). The registry's 64 MB
suits an import rewriting a million-row table's indexes; a worker reads each card's photo and
signature once (about 15 KB of blobs), so a big cache only fills with cards already printed and
the worker's memory grows with the batch until it is full. What a card needs again (the
interior pages of the indexes it looks up) fits in a few MB.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from registry.db import Database

KEEP_SECONDS = 2.0
PAGE_CACHE_KIB = 4096


class LoopDatabase:
    """`registry.db.Database`'s ``read`` and ``write`` for one printer loop (one thread)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._options = _write_options(database)
        self._connection: Connection | None = None
        self._session: Session | None = None
        self._used = 0.0

    def read(self) -> AbstractContextManager[Session]:
        return self.database.read()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """Like `Database.write`: one unit of work, committed when the block ends, rolled back
        on any exception."""
        session = self._kept()
        try:
            with session.begin():
                yield session
        finally:
            session.expunge_all()
            self._used = time.monotonic()

    def close(self) -> None:
        """Give the kept connection back to the pool (when the loop ends, or it went idle)."""
        if self._session is not None:
            self._session.close()
            self._session = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _kept(self) -> Session:
        connection = self._connection
        if (self._session is None or connection is None or connection.invalidated
                or time.monotonic() - self._used > KEEP_SECONDS):
            self.close()
            connection = self._connection = (
                self.database.engine.connect().execution_options(**self._options))
            if self.database.is_sqlite:
                _set_page_cache(connection, PAGE_CACHE_KIB)
            self._session = Session(connection, expire_on_commit=False)
        return self._session


def _write_options(database: Database) -> dict[str, Any]:
    """The execution options of `Database.write`'s sessions, which make a connection begin
    write transactions (``BEGIN IMMEDIATE`` on SQLite). Set on the connection itself: a
    connection of an engine copy carrying them costs more at every statement."""
    with database.write() as session:  # takes no connection: nothing is executed
        return dict(session.get_bind().get_execution_options())


def _set_page_cache(connection: Connection, kib: int) -> None:
    """Through the driver: a statement through SQLAlchemy would open a write transaction."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    finally:
        cursor.close()
