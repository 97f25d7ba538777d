"""How long residents wait: from the application to the card in their hand.

Median and 90th percentile use the inclusive linear interpolation of spreadsheet
PERCENTILE.INC (and numpy's default), so an office can check a figure by hand: with the n
waits sorted, the q-th percentile sits at position (n - 1) * q, between two neighbours when
that is not a whole number. Computed exactly on microseconds. Only cards handed over in the
period that came from an application count (a batch reprint has no application to start from).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Application, Card
from ..periods import JAKARTA, Period
from . import scoped

MEDIAN, P90 = Fraction(1, 2), Fraction(9, 10)
_MICRO = dt.timedelta(microseconds=1)


def percentile(values: Sequence[int], q: Fraction) -> Fraction:
    """The ``q`` quantile of ``values`` (inclusive linear interpolation)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    if low + 1 >= len(ordered):
        return Fraction(ordered[-1])
    return ordered[low] + (position - low) * (ordered[low + 1] - ordered[low])


@dataclass(frozen=True)
class LeadTimes:
    count: int
    median: dt.timedelta | None
    p90: dt.timedelta | None

    @classmethod
    def of(cls, waits: Sequence[dt.timedelta]) -> LeadTimes:
        if not waits:
            return cls(0, None, None)
        micros = [w // _MICRO for w in waits]

        def at(q: Fraction) -> dt.timedelta:
            return dt.timedelta(microseconds=round(percentile(micros, q)))

        return cls(len(waits), at(MEDIAN), at(P90))


def waits(session: Session, offices: Sequence[str] | None, period: Period,
          tz: dt.tzinfo = JAKARTA) -> dict[str, list[dt.timedelta]]:
    """Each handover's wait, per office of the application."""
    lo, hi = period.bounds(tz)
    query = scoped(select(Application.office_code, Application.created_at, Card.handed_over_at)
                   .join(Application, Card.application_id == Application.id)
                   .where(Card.handed_over_at >= lo, Card.handed_over_at < hi),
                   Application.office_code, offices)
    out: defaultdict[str, list[dt.timedelta]] = defaultdict(list)
    for office, applied, handed in session.execute(query):
        out[office].append(handed - applied)
    return dict(out)


def lead_times(session: Session, offices: Sequence[str] | None, period: Period,
               tz: dt.tzinfo = JAKARTA) -> tuple[dict[str, LeadTimes], LeadTimes]:
    """Per office, and for all offices in scope together."""
    per_office = waits(session, offices, period, tz)
    every = [w for ws in per_office.values() for w in ws]
    return ({o: LeadTimes.of(ws) for o, ws in sorted(per_office.items())}, LeadTimes.of(every))
