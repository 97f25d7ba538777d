"""A copy of the database cannot pair a survey answer with a handover: not by row order, row
ids, transaction order or times. The audit log names each resident handed a code, with the
time; so the answers and the codes must not be stored in the order they came, and an answer
must not leave a time of its own."""

from __future__ import annotations

import datetime as dt
import threading
from itertools import pairwise

import pytest
from alembic import command
from sqlalchemy import DateTime, func, select, text
from sqlalchemy.exc import DatabaseError

from registry import offices, schema, survey, survey_codes
from registry.audit import SYSTEM
from registry.db import Database
from registry.models import AuditEntry
from registry.models.base import UTCDateTime
from registry.models.survey import SurveyResponse, SurveyTicket
from registry.survey_codes import digest, normalise

from .test_survey import KEY, TODAY, answer, handed_over

PEOPLE = ["ANI", "BUDI", "CITRA", "DEWI", "EKO", "FAJAR"]


def stored_order(db, table: str, key: str) -> list[str]:
    """The keys in the order the database keeps the rows: a scan of the table itself on
    SQLite (every column, so no index can answer instead), the heap position on PostgreSQL
    (the order ``pg_dump`` writes them out in)."""
    with db.read() as s:
        if s.get_bind().dialect.name == "postgresql":
            return list(s.scalars(text(f"SELECT {key} FROM {table} ORDER BY ctid")))
        return list(s.scalars(text(f"SELECT {key}, * FROM {table}")))


def in_key_order(db, stored: list[str]) -> bool:
    """Stored in the order of the keys: exactly on SQLite (the table is the key's B-tree). On
    PostgreSQL the rows, written again in key order, take whatever slots the heap has free at
    that moment (which depends on what other sessions still see, so on timing): mostly in key
    order, broken where the free slots jump. Rows kept in the order they came would run
    against the key order all the way, so more neighbours in key order than against it tells
    the two apart."""
    keys = sorted(stored)
    if db.engine.dialect.name == "sqlite":
        return stored == keys
    ascending = sum(a < b for a, b in pairwise(stored))
    return ascending > (len(stored) - 1) / 2


@pytest.fixture
def against_the_order(monkeypatch):
    """Codes and response keys that sort in the opposite order of handing over and answering,
    so storage in insertion order shows as plainly as storage in key order."""
    codes = sorted((f"ABCD{n:04d}" for n in range(len(PEOPLE))), key=lambda c: digest(c, KEY),
                   reverse=True)
    ids = iter(f"{n:x}" * 32 for n in range(15, 15 - len(PEOPLE), -1))  # "fff…", "eee…", …
    issued = iter(codes)
    monkeypatch.setattr(survey_codes, "new_code", lambda: next(issued))
    monkeypatch.setattr(survey, "new_response_id", lambda: next(ids), raising=False)


def test_neither_row_order_nor_ids_nor_times_pair_an_answer_with_a_handover(db,
                                                                            against_the_order):
    handovers = [handed_over(db, name) for name in PEOPLE]  # one after the other, audited
    with db.read() as s:
        before = s.scalar(select(func.max(AuditEntry.id)))
    answered = [answer(db, code) for _card, _nik, code in handovers]  # in the same order
    tickets = [digest(normalise(code), KEY) for _card, _nik, code in handovers]
    # Stored in the order of their random keys, which here is the reverse of the order they
    # came in; on SQLite there is no rowid to sort by either.
    responses = stored_order(db, "survey_responses", "id")
    codes = stored_order(db, "survey_tickets", "code_hash")
    assert responses != answered and codes != tickets
    assert sorted(answered) == answered[::-1] and sorted(tickets) == tickets[::-1]
    assert in_key_order(db, responses) and sorted(responses) == sorted(answered)
    assert in_key_order(db, codes) and sorted(codes) == sorted(tickets)
    with db.read() as s:
        if s.get_bind().dialect.name == "sqlite":
            for table in ("survey_responses", "survey_tickets"):
                with pytest.raises(DatabaseError, match="rowid"):
                    s.execute(text(f"SELECT rowid FROM {table}"))
        else:  # every row of the day was written again by the last answer's transaction
            assert len(set(s.scalars(text("SELECT xmin::text FROM survey_responses")))) == 1
            assert len(set(s.scalars(text("SELECT xmin::text FROM survey_tickets")))) == 1
        # Answers carry the day, never a time; and they wrote nothing into the audit log.
        rows = list(s.scalars(select(SurveyResponse)))
        assert {r.day for r in rows} == {TODAY}
        timed = {c.name for c in SurveyResponse.__table__.columns
                 if isinstance(c.type, UTCDateTime | DateTime)}
        assert timed == {"voided_at"} and all(r.voided_at is None for r in rows)
        assert s.scalar(select(func.max(AuditEntry.id))) == before
        assert all(t.used and t.issued_on == TODAY for t in s.scalars(select(SurveyTicket)))


def test_the_kiosk_answers_are_audited_once_per_day_as_counts(db):
    first = [handed_over(db, name) for name in PEOPLE[:3]]
    for _card, _nik, code in first[:2]:
        answer(db, code)
    later = TODAY + dt.timedelta(days=2)
    handed_over(db, "GITA", today=later)  # counts the days before
    handed_over(db, "HADI", today=later)  # nothing new to count
    with db.write() as s:
        assert survey.audit_kiosk_answers(s, today=later) == 0
    with db.read() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "survey.answers")))
    assert [(e.entity_key, e.changes) for e in entries] == [
        ("2026-03-11", {"33.14 2026-03-10": [None, 2]})]


def test_two_first_handovers_of_a_day_audit_the_answers_once(db):
    """The first handovers of a day in two offices at once: the second waits for the first
    and then finds the days already counted (on PostgreSQL both would otherwise write)."""
    for _card, _nik, code in [handed_over(db, name) for name in PEOPLE[:2]]:
        answer(db, code)
    later, results = TODAY + dt.timedelta(days=1), []

    def second() -> None:
        with db.write() as s:
            results.append(survey.audit_kiosk_answers(s, today=later))

    with db.write() as s:
        assert survey.audit_kiosk_answers(s, today=later) == 2
        racing = threading.Thread(target=second)
        racing.start()
        racing.join(0.5)
        assert racing.is_alive()  # waiting for the first to commit
    racing.join(10)
    assert results == [0]
    with db.read() as s:
        assert s.scalar(select(func.count()).where(
            AuditEntry.action == "survey.answers")) == 1


def test_the_migration_keeps_every_row_and_stores_them_in_key_order(db_url):
    """Rows written in the old schema, out of key order, come through the upgrade."""
    database = Database(db_url)
    config = schema._config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    with database.write() as s:
        offices.add(s, SYSTEM, "33.14")
    keys = ["c" * 32, "a" * 32, "b" * 32]
    with database.engine.begin() as connection:
        for n, key in enumerate(keys):
            connection.execute(text(
                "INSERT INTO survey_tickets VALUES (:k, '33.14', '2026-03-10', '2026-03-16', "
                ":used)"), {"k": key[:64], "used": n == 0})
            connection.execute(text(
                "INSERT INTO survey_responses (id, office_code, day, channel, u1, comment) "
                "VALUES (:k, '33.14', '2026-03-10', 'kiosk', :u1, :c)"),
                {"k": key, "u1": n + 1, "c": f"jawaban {n}"})
    assert stored_order(database, "survey_responses", "id") == keys
    schema.upgrade(database)
    assert stored_order(database, "survey_responses", "id") == sorted(keys)
    assert stored_order(database, "survey_tickets", "code_hash") == sorted(keys)  # CLUSTER
    with database.read() as s:
        rows = {r.id: (r.u1, r.comment, r.day) for r in s.scalars(select(SurveyResponse))}
        used = {t.code_hash: t.used for t in s.scalars(select(SurveyTicket))}
    assert rows == {k: (n + 1, f"jawaban {n}", TODAY) for n, k in enumerate(keys)}
    assert used == {k: n == 0 for n, k in enumerate(keys)}
    database.dispose()
