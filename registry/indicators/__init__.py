"""Service indicators computed from the issuance records: volumes, lead times, reprints,
printer failures and uptime, blank stock. Each function takes the offices in scope (None: all)
and a `registry.periods.Period` of local days, and returns plain values for pages and reports.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import Office


def offices_within(session: Session, region_code: str) -> list[str]:
    """The offices a user of the office ``region_code`` oversees: that office and every
    office inside its region (the kabupaten's KPT sees all the kabupaten's offices)."""
    return list(session.scalars(select(Office.code).where(or_(
        Office.code == region_code, Office.code.like(region_code + ".%"))).order_by(Office.code)))


def scoped(query, column, offices: Sequence[str] | None):
    """``query`` limited to ``offices`` (None: no limit)."""
    return query if offices is None else query.where(column.in_(list(offices)))
