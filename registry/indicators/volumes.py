"""How much work the offices did: applications received, cards printed, cards handed over.

Counted per office and local day, then folded into months or totals. Applications count at the
office that took them and cards printed at the office whose blank was used; a handover counts
at the office that served the resident (the application's office, else the card's), the same
office the survey and the lead time are reported for.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Application, Card
from ..models.issuance import BARU, REPRINT_REASONS
from ..periods import JAKARTA, Period, local_day
from . import scoped


@dataclass(frozen=True)
class Counts:
    received: int = 0
    printed: int = 0
    handed_over: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.received + other.received, self.printed + other.printed,
                      self.handed_over + other.handed_over)


Daily = dict[tuple[str, dt.date], Counts]


def service_office_column():
    return func.coalesce(Application.office_code, Card.office_code)


def daily(session: Session, offices: Sequence[str] | None, period: Period,
          tz: dt.tzinfo = JAKARTA) -> Daily:
    """Counts per (office, local day); days without work are absent."""
    lo, hi = period.bounds(tz)
    out: defaultdict[tuple[str, dt.date], Counts] = defaultdict(Counts)
    received = scoped(select(Application.office_code, Application.created_at).where(
        Application.created_at >= lo, Application.created_at < hi),
        Application.office_code, offices)
    for office, at in session.execute(received):
        out[office, local_day(at, tz)] += Counts(received=1)
    printed = scoped(select(Card.office_code, Card.printed_at).where(
        Card.printed_at >= lo, Card.printed_at < hi), Card.office_code, offices)
    for office, at in session.execute(printed):
        out[office, local_day(at, tz)] += Counts(printed=1)
    served = service_office_column()
    handed = scoped(select(served, Card.handed_over_at)
                    .outerjoin(Application, Card.application_id == Application.id)
                    .where(Card.handed_over_at >= lo, Card.handed_over_at < hi), served, offices)
    for office, at in session.execute(handed):
        out[office, local_day(at, tz)] += Counts(handed_over=1)
    return dict(out)


def by_office(counts: Daily) -> dict[str, Counts]:
    out: defaultdict[str, Counts] = defaultdict(Counts)
    for (office, _day), c in counts.items():
        out[office] += c
    return dict(sorted(out.items()))


def by_day(counts: Daily, period: Period) -> dict[dt.date, Counts]:
    """Every day of the period, zero where nothing happened."""
    out = {day: Counts() for day in period.each_day()}
    for (_office, day), c in counts.items():
        out[day] += c
    return out


def by_month(counts: Daily, period: Period) -> dict[dt.date, Counts]:
    """Every month the period touches (keyed by its first day)."""
    out = {first: Counts() for first in period.each_month()}
    for (_office, day), c in counts.items():
        out[day.replace(day=1)] += c
    return out


def total(counts: Daily) -> Counts:
    return sum(counts.values(), Counts())


def reprints(session: Session, offices: Sequence[str] | None, period: Period,
             tz: dt.tzinfo = JAKARTA) -> dict[str, dict[str, int]]:
    """Cards printed per office and reason (BARU and each reprint reason), batch reprints
    included."""
    lo, hi = period.bounds(tz)
    query = scoped(select(Card.office_code, Card.reason, func.count()).where(
        Card.printed_at >= lo, Card.printed_at < hi), Card.office_code, offices)
    out: dict[str, dict[str, int]] = {}
    for office, reason, count in session.execute(query.group_by(Card.office_code, Card.reason)):
        out.setdefault(office, dict.fromkeys((BARU, *REPRINT_REASONS), 0))[reason] = count
    return dict(sorted(out.items()))


def reprint_totals(per_office: dict[str, dict[str, int]]) -> dict[str, int]:
    out = dict.fromkeys((BARU, *REPRINT_REASONS), 0)
    for reasons in per_office.values():
        for reason, count in reasons.items():
            out[reason] = out.get(reason, 0) + count
    return out
