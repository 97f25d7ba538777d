"""The counter's start page: find a resident, and the work waiting at this office."""

from __future__ import annotations

from flask import render_template

from registry import counter, offices, stock
from registry.models.issuance import DIAJUKAN, DICETAK

from ..database import db
from .access import me
from .pages import blueprint

bp = blueprint("home", __name__)
SHOWN = 8


@bp.get("/")
def index():
    office = me().office_code
    with db().read() as session:
        counts = counter.state_counts(session, office)
        balance = stock.balance(session, office)
        return render_template(
            "home/index.html",
            counts=counts,
            balance=balance,
            office=offices.get(session, office),
            to_verify=counter.listing(session, office, (DIAJUKAN,), limit=SHOWN,
                                      oldest_first=True),
            to_print=counter.print_queue(session, office, limit=SHOWN),
            to_hand_over=counter.listing(session, office, (DICETAK,), limit=SHOWN,
                                         oldest_first=True),
            attempts=counter.open_attempts(session, office),
        )
