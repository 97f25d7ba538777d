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

Its commits are relaxed (`registry.db.relax_commits`): of a card's three, only the one before
the card's bytes go to the printer waits for the disk (``durable``); the other two reach it with
that one, or are undone by a power cut, which the exactly-once protocol recovers from either way
(a card whose close was lost is `printing`, settled by asking the printer).

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

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from registry.db import Database, relax_commits, strict_commits, write_options

KEEP_SECONDS = 2.0
PAGE_CACHE_KIB = 4096


class LoopDatabase:
    """`registry.db.Database`'s ``read`` and ``write`` for one printer loop (one thread)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._connection: Connection | None = None
        self._session: Session | None = None
        self._used = 0.0

    def read(self) -> AbstractContextManager[Session]:
        return self.database.read()

    @contextmanager
    def write(self, *, durable: bool = False) -> Iterator[Session]:
        """Like `Database.write`: one unit of work, committed when the block ends, rolled back
        on any exception; ``durable``: on disk when it ends."""
        connection, session = self._kept()
        connection.execution_options(**write_options(durable))
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
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                if not connection.invalidated:
                    strict_commits(connection)
            except DBAPIError:  # a lost server: the pool must not hand the connection out
                connection.invalidate()
            connection.close()

    def _kept(self) -> tuple[Connection, Session]:
        connection, session = self._connection, self._session
        if (session is None or connection is None or connection.invalidated
                or time.monotonic() - self._used > KEEP_SECONDS):
            self.close()
            connection = self._connection = self.database.engine.connect()
            if self.database.is_sqlite:
                _set_page_cache(connection, PAGE_CACHE_KIB)
            relax_commits(connection)
            session = self._session = Session(connection, expire_on_commit=False)
        return connection, session


def _set_page_cache(connection: Connection, kib: int) -> None:
    """Through the driver: a statement through SQLAlchemy would open a write transaction."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    finally:
        cursor.close()
