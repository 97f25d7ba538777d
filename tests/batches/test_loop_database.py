"""A printer loop's transactions run on one connection and one session it keeps: each still
commits or rolls back as a whole, starts from what the database holds, and a connection left
idle goes back to the pool. Only its durable commits wait for the disk."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.pool import Pool

from app.batches import connection
from app.batches.connection import LoopDatabase
from registry.audit import SYSTEM
from registry.db import Database
from registry.models import Office
from registry.offices import add


@pytest.fixture
def loop_db(db):
    with db.write() as session:
        add(session, SYSTEM, "33.14")
    kept = LoopDatabase(db)
    yield kept
    kept.close()


def _name(db, code="33.14"):
    with db.read() as session:
        return session.scalar(select(Office.name).where(Office.code == code))


def test_a_write_commits_or_rolls_back_as_a_whole(db, loop_db):
    with loop_db.write() as session:
        session.execute(update(Office).where(Office.code == "33.14").values(name="SATU"))
    assert _name(db) == "SATU"
    with pytest.raises(RuntimeError), loop_db.write() as session:
        session.execute(update(Office).where(Office.code == "33.14").values(name="DUA"))
        raise RuntimeError("stop")
    assert _name(db) == "SATU"
    with loop_db.write() as session:  # the connection is still good
        session.execute(update(Office).where(Office.code == "33.14").values(name="TIGA"))
    assert _name(db) == "TIGA"


def test_each_write_reads_what_the_database_holds_now(db, loop_db):
    with loop_db.write() as session:
        earlier = session.get(Office, "33.14")  # still held: the kept session must drop it
    with db.write() as session:  # another connection changes the row
        session.execute(update(Office).where(Office.code == "33.14").values(name="ELSEWHERE"))
    with loop_db.write() as session:
        assert session.get(Office, "33.14").name == "ELSEWHERE"
    assert earlier.name != "ELSEWHERE"


def test_writes_in_a_row_share_a_connection_and_an_idle_one_goes_back(db, loop_db,
                                                                      monkeypatch):
    checkouts = []

    def count(*_args: object) -> None:
        checkouts.append(1)

    event.listen(Pool, "checkout", count)
    try:
        for _ in range(5):
            with loop_db.write() as session:
                session.get(Office, "33.14")
        assert len(checkouts) == 1
        monkeypatch.setattr(connection, "KEEP_SECONDS", -1.0)  # every gap is long now
        with loop_db.write() as session:
            session.get(Office, "33.14")
        assert len(checkouts) == 2
    finally:
        event.remove(Pool, "checkout", count)


def test_on_sqlite_the_kept_connection_has_a_small_page_cache(sqlite_url):
    database = Database(sqlite_url)
    kept = LoopDatabase(database)
    try:
        with kept.write() as session:
            cache_size = session.execute(text("PRAGMA cache_size")).scalar()
        assert cache_size == -connection.PAGE_CACHE_KIB
    finally:
        kept.close()
        database.dispose()


def _waits_for_the_disk(session) -> bool:
    if session.get_bind().dialect.name == "sqlite":
        return session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL, not NORMAL
    return session.execute(text("SHOW synchronous_commit")).scalar() == "on"


def test_only_a_durable_commit_of_the_loop_waits_for_the_disk(db, loop_db):
    for durable in (False, True, True, False, True):
        with loop_db.write(durable=durable) as session:
            assert _waits_for_the_disk(session) is durable
    with db.write(durable=True) as session:
        assert _waits_for_the_disk(session)


def test_the_loop_gives_its_connection_back_as_it_found_it(db, loop_db):
    """Relaxed commits stay with the loop: a connection back in the pool waits for the disk
    again (PostgreSQL; on SQLite a plain write never did)."""
    with loop_db.write() as session:
        kept = session.connection().connection.dbapi_connection
    loop_db.close()
    cursor = kept.cursor()
    if db.is_sqlite:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL, as every connection of the registry
    else:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
        kept.rollback()
    cursor.close()
