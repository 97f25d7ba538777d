"""Blank-card stock: never negative, reservations bounded by what is on hand, every move kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from registry import offices, stock
from registry.errors import InvalidRecordError
from registry.models import StockBalance, StockMovement


@pytest.fixture
def db_with_offices(db, clerk):
    with db.write() as session:
        for code in ("33.14", "33.14.10"):
            offices.add(session, clerk, code)
    return db


def on_hand(db, office):
    with db.read() as session:
        b = stock.balance(session, office)
        return b.on_hand, b.reserved


def test_receive_print_spoil_return_transfer_keep_a_ledger(db_with_offices, clerk):
    db = db_with_offices
    with db.write() as session:
        stock.receive(session, clerk, "33.14", 10, reference="SJ-001")
        stock.reserve(session, "33.14")
        stock.consume(session, clerk, "33.14", spoiled=False, reference="card 1")
        stock.reserve(session, "33.14")
        stock.consume(session, clerk, "33.14", spoiled=True, reference="job", reason="jam")
        stock.give_back(session, clerk, "33.14", 2, reason="damaged box")
        stock.transfer(session, clerk, "33.14", "33.14.10", 3)
    assert on_hand(db, "33.14") == (3, 0)
    assert on_hand(db, "33.14.10") == (3, 0)
    with db.read() as session:
        moves = [(m.kind, m.quantity) for m in stock.ledger(session, "33.14")]
    assert moves == [("TRANSFER_OUT", -3), ("RETURNED", -2), ("SPOILED", -1), ("PRINTED", -1),
                     ("RECEIVED", 10)]


def test_stock_never_goes_negative(db_with_offices, clerk):
    db = db_with_offices
    with db.write() as session:
        stock.receive(session, clerk, "33.14", 1)
        stock.reserve(session, "33.14")
    for attempt in (lambda s: stock.reserve(s, "33.14"),
                    lambda s: stock.give_back(s, clerk, "33.14", 1, "x"),
                    lambda s: stock.transfer(s, clerk, "33.14", "33.14.10", 1),
                    lambda s: stock.spoil(s, clerk, "33.14", "dropped")):
        with pytest.raises(stock.OutOfStockError), db.write() as session:
            attempt(session)
    assert on_hand(db, "33.14") == (1, 1)
    with pytest.raises(InvalidRecordError), db.write() as session:
        stock.receive(session, clerk, "33.14", 0)


def test_the_database_itself_refuses_a_negative_balance(db_with_offices, clerk):
    db = db_with_offices
    with db.write() as session:
        stock.receive(session, clerk, "33.14", 1)
    with pytest.raises(IntegrityError), db.write() as session:
        session.execute(update(StockBalance).values(on_hand=-1))
    with pytest.raises(IntegrityError), db.write() as session:
        session.execute(update(StockBalance).values(reserved=2))
    with db.read() as session:
        assert session.scalar(select(StockMovement.kind)) == "RECEIVED"
