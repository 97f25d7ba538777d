"""`ktp evaluation demo` on a demo database where the counter has been used already: it gives
cards only to residents the counter has not served, and never alters a card or application."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.demo.seed import seed_residents
from app.evaluation.demo import DEMO_ACTOR, seed_evaluation
from registry import applications, residents
from registry.audit import Actor
from registry.models import Application, Card, Resident
from tests.registry.factories import printed_application

from .conftest import OPERATOR, SUPERVISOR

TODAY = dt.date(2026, 3, 31)


def _columns(row) -> dict:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def _served_at_the_counter(database, resident_id: int) -> None:
    """A first card through the counter's path: applied, verified, printed, handed over."""
    with database.write() as s:
        resident = s.get(Resident, resident_id)
        application, _ = printed_application(s, OPERATOR, SUPERVISOR, resident, "33.14")
        applications.hand_over(s, OPERATOR, application, "sendiri")


def test_the_demo_leaves_residents_served_at_the_counter_as_they_are(app, database):
    with app.app_context():
        seed_residents(database, Actor("demo"), 60, seed=5, photos=False)
    with database.read() as s:
        adults = list(s.scalars(select(Resident.id).where(
            Resident.tanggal_lahir <= dt.date(2000, 1, 1), Resident.status == "AKTIF")
            .order_by(Resident.id)))
    carded, waiting = adults[0], adults[1]
    _served_at_the_counter(database, carded)
    with database.write() as s:  # an application still open at the counter
        applications.submit(s, OPERATOR, residents.get(s, s.get(Resident, waiting).nik), "33.14")
    with database.read() as s:
        before = {r: ([_columns(c) for c in s.scalars(select(Card).where(Card.resident_id == r))],
                      [_columns(a) for a in s.scalars(select(Application).where(
                          Application.resident_id == r))]) for r in (carded, waiting)}
    with app.app_context():
        report = seed_evaluation(database, Actor("demo"), months=2, today=TODAY)
    assert report.cards > 10
    with database.read() as s:
        after = {r: ([_columns(c) for c in s.scalars(select(Card).where(Card.resident_id == r))],
                     [_columns(a) for a in s.scalars(select(Application).where(
                         Application.resident_id == r))]) for r in (carded, waiting)}
        demo_cards = list(s.scalars(select(Card).where(Card.printed_by == DEMO_ACTOR)))
    assert after == before
    assert len(before[carded][0]) == 1 and before[carded][0][0]["state"] == "AKTIF"
    assert {c.resident_id for c in demo_cards}.isdisjoint({carded, waiting})
    # The demo's own cards read like real ones: the data printed, numbered from 1, a reprint
    # replacing the demo's earlier card after it was handed over.
    assert all(c.data.get("nik") == c.nik for c in demo_cards)
    by_id = {c.id: c for c in demo_cards}
    for card in demo_cards:
        if card.reason == "BARU":
            assert card.copy_number == 1 and card.replaces_card_id is None
        else:
            old = by_id[card.replaces_card_id]
            assert old.state == "TIDAK BERLAKU" and old.handed_over_at < card.printed_at
