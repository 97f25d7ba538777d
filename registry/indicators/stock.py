"""Blank cards over a period: the ledger summed by kind, and how long the stock will last.

Balances are rebuilt from the ledger (every change of ``on_hand`` is a `StockMovement`), so a
past year's closing stock is known without a snapshot. Days of stock left = blanks on hand at
the end of the period (or now, for a running period) divided by the daily use over the window
before it (printed + spoiled blanks, default 30 days); none while nothing is being used.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import StockMovement, utcnow
from ..models.stock import MOVEMENT_KINDS, PRINTED, SPOILED
from ..periods import JAKARTA, Period
from . import scoped

WINDOW_DAYS = 30


@dataclass(frozen=True)
class StockFigures:
    office_code: str
    opening: int
    moved: dict[str, int]  # signed sum per movement kind within the period
    closing: int
    used_in_window: int  # printed + spoiled in the window before ``as_of``
    window_days: int
    as_of: dt.datetime

    @property
    def daily_use(self) -> Fraction:
        return Fraction(self.used_in_window, self.window_days)

    @property
    def days_left(self) -> int | None:
        """Whole days the closing stock lasts at the daily use (None: no use, no run-down)."""
        if not self.used_in_window:
            return None
        return int(self.closing / self.daily_use)


def stock_figures(session: Session, offices: Sequence[str] | None, period: Period,
                  tz: dt.tzinfo = JAKARTA, now: dt.datetime | None = None,
                  window_days: int = WINDOW_DAYS) -> list[StockFigures]:
    """Per office that ever had stock up to the end of the period."""
    lo, hi = period.bounds(tz)
    as_of = min(hi, now or utcnow())
    m = StockMovement
    opening = dict(session.execute(scoped(
        select(m.office_code, func.sum(m.quantity)).where(m.at < lo), m.office_code, offices)
        .group_by(m.office_code)).all())
    moved: defaultdict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MOVEMENT_KINDS, 0))
    inside = scoped(select(m.office_code, m.kind, func.sum(m.quantity)).where(
        m.at >= lo, m.at < hi), m.office_code, offices).group_by(m.office_code, m.kind)
    for office, kind, quantity in session.execute(inside):
        moved[office][kind] = int(quantity)
    window = scoped(select(m.office_code, func.sum(-m.quantity)).where(
        m.kind.in_((PRINTED, SPOILED)), m.at >= as_of - dt.timedelta(days=window_days),
        m.at < as_of), m.office_code, offices).group_by(m.office_code)
    used = dict(session.execute(window).all())
    out = []
    for office in sorted(set(opening) | set(moved)):
        start = int(opening.get(office) or 0)
        kinds = moved[office]
        out.append(StockFigures(office, start, kinds, start + sum(kinds.values()),
                                int(used.get(office) or 0), window_days, as_of))
    return out
