"""A supervisor's account of a period: applications taken and decided, cards printed and handed
over, blanks received and spoiled, print faults, and how long residents waited for their card.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Application, ApplicationEvent, Card, PrintAttempt, StockMovement
from .models.issuance import DITOLAK, DIVERIFIKASI
from .regions import in_region as within


@dataclass
class Activity:
    submitted: dict[str, int] = field(default_factory=dict)  # by kind
    verified: int = 0
    rejected: int = 0
    printed: dict[str, int] = field(default_factory=dict)  # by reason
    handed_over: int = 0
    stock: dict[str, int] = field(default_factory=dict)  # blanks by movement kind
    faults: dict[str, int] = field(default_factory=dict)  # failed prints by error code
    days_to_handover: float | None = None  # median, application taken -> card handed over


def _grouped(session: Session, column, *where) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(*where).group_by(column))
    return {key: count for key, count in rows}


def activity(session: Session, office_code: str, since: dt.datetime,
             until: dt.datetime) -> Activity:
    """What happened at ``office_code`` and the offices under it in ``[since, until)``."""
    a, c, m, p, e = Application, Card, StockMovement, PrintAttempt, ApplicationEvent
    report = Activity()
    report.submitted = _grouped(session, a.kind, within(a.office_code, office_code),
                                a.created_at >= since, a.created_at < until)
    decided = _grouped(session, e.to_state, e.at >= since, e.at < until,
                       e.to_state.in_((DIVERIFIKASI, DITOLAK)),
                       e.application_id.in_(select(a.id).where(
                           within(a.office_code, office_code))))
    report.verified, report.rejected = decided.get(DIVERIFIKASI, 0), decided.get(DITOLAK, 0)
    report.printed = _grouped(session, c.reason, within(c.office_code, office_code),
                              c.printed_at >= since, c.printed_at < until)
    handed = session.execute(
        select(c.handed_over_at, a.created_at).join(a, a.id == c.application_id)
        .where(within(a.office_code, office_code), c.handed_over_at >= since,
               c.handed_over_at < until)).all()
    report.handed_over = len(handed)
    if handed:
        report.days_to_handover = statistics.median(
            (done - taken).total_seconds() / 86400 for done, taken in handed)
    stock_rows = session.execute(
        select(m.kind, func.sum(m.quantity)).where(
            within(m.office_code, office_code), m.at >= since, m.at < until).group_by(m.kind))
    report.stock = {kind: abs(total or 0) for kind, total in stock_rows}
    report.faults = _grouped(session, p.error_code, within(p.office_code, office_code),
                             p.state == "failed", p.started_at >= since, p.started_at < until)
    return report
