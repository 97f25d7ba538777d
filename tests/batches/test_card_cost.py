"""What one card costs the database: the statements and commits a worker sends for it (a
figure that, unlike time, does not move with the machine), and that the statements merged to
keep it low still record everything."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from registry import audit
from registry.batch_selection import Selection
from registry.models import AuditEntry, Card

from .checks import counted_statements, make_batch, run_worker
from .conftest import SUPERVISOR

# The protocol's three commits (take, counter, close); the statements of a card, BEGIN
# included (sent as a statement on SQLite only: BEGIN IMMEDIATE), and what makes the counter's
# commit durable (SQLite: the synchronous level set before it and after; PostgreSQL: SET LOCAL
# in it). See app/batches/README.md.
PER_CARD = {"sqlite": (20, 3), "postgresql": (16, 3)}


def _run(app, town, niks: list[str]) -> Counter:
    make_batch(town, Selection("niks", niks=tuple(niks)))
    with counted_statements(town.db.engine) as counts:
        run_worker(app, "p1")
    return counts


def test_a_card_costs_a_fixed_number_of_statements_and_three_commits(app, town):
    town.blanks(20)
    town.printer("p1")
    first, few, more = town.people(1), town.people(2), town.people(6)
    _run(app, town, first)  # the printer's first card also records it ready
    # The same worker start and end around 2 and 6 cards: the difference is 4 cards' worth.
    small, big = _run(app, town, few), _run(app, town, more)
    per_card = ((big["sql"] - small["sql"]) / 4, (big["commit"] - small["commit"]) / 4)
    assert per_card == PER_CARD[town.db.engine.dialect.name]


def test_a_reprint_names_the_card_it_replaces_and_its_entries_keep_their_order(app, town):
    town.blanks(10)
    town.printer("p1")
    nik, = town.people(1)
    for _ in range(2):
        make_batch(town, Selection("niks", niks=(nik,)))
        run_worker(app, "p1")
    with town.db.read() as session:
        first, second = session.scalars(select(Card).order_by(Card.copy_number))
        assert (first.copy_number, second.copy_number) == (1, 2)
        assert second.replaces_card_id == first.id and first.replaces_card_id is None
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.entity_key.in_([f"{nik}/2", "33.14"]),
            AuditEntry.action.in_(["card.print", "stock.printed", "batch.card_printed"]))
            .order_by(AuditEntry.id)).all()
    last = [e for e in entries if e.id >= next(e.id for e in entries
                                               if e.entity_key == f"{nik}/2")]
    assert [e.action for e in last] == ["card.print", "stock.printed", "batch.card_printed"]
    assert last[0].changes["replaces"] == [None, 1]
    assert last[1].changes["reference"] == [None, f"card {nik}/2"]


def test_gathered_entries_go_in_together_in_order_or_not_at_all(db):
    with db.write() as session, audit.gathered(session):
        audit.write(session, SUPERVISOR, "test.one", "thing", "1")
        audit.write(session, SUPERVISOR, "test.two", "thing", "1")
        assert session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "thing")).all() == []  # held back until the block ends
    with pytest.raises(RuntimeError), db.write() as session, audit.gathered(session):
        audit.write(session, SUPERVISOR, "test.three", "thing", "1")
        raise RuntimeError("the transaction fails")
    with db.read() as session:
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "thing")
                               .order_by(AuditEntry.id)).all() == ["test.one", "test.two"]
