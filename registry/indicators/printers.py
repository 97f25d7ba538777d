"""Printer health: attempts and failures by cause, spoiled blanks, and uptime.

Uptime comes from `PrinterEvent`, which records only changes of state: a printer is taken to
stay in its last recorded state until the next change. Time before a printer's first event is
unknown and left out, so uptime = time ready / (time ready + time in fault) over the period,
cut at "now" for a period still running. A fault lasts until the next successful print clears
it, which includes the time nobody was at the printer: that is what the records can show.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..models import PrintAttempt, Printer, PrinterEvent, StockMovement, utcnow
from ..models.issuance import ATTEMPT_FAILED, ATTEMPT_HELD, ATTEMPT_PRINTED
from ..models.printer_event import FAULT, READY
from ..models.stock import SPOILED
from ..periods import JAKARTA, Period

_ZERO = dt.timedelta()


@dataclass(frozen=True)
class Uptime:
    ready: dt.timedelta = _ZERO
    fault: dt.timedelta = _ZERO
    faults: int = 0  # fault episodes that started in, or ran into, the period
    fault_time_by_code: dict[str, dt.timedelta] = field(default_factory=dict)

    @property
    def observed(self) -> dt.timedelta:
        return self.ready + self.fault

    @property
    def ratio(self) -> Fraction | None:
        """Share of observed time the printer was ready (None: never observed)."""
        if not self.observed:
            return None
        return Fraction(self.ready // dt.timedelta(microseconds=1),
                        self.observed // dt.timedelta(microseconds=1))


def uptime(events: Sequence[tuple[dt.datetime, str, str | None]],
           before: tuple[str, str | None] | None, start: dt.datetime,
           end: dt.datetime) -> Uptime:
    """Uptime over [start, end) from the state in force at ``start`` (``before``: the last
    event earlier than start, or None) and the events inside, in time order."""
    ready, fault, faults = _ZERO, _ZERO, 0
    by_code: defaultdict[str, dt.timedelta] = defaultdict(dt.timedelta)
    state, code, since = (before[0], before[1], start) if before else (None, None, None)
    if state == FAULT:
        faults += 1
    for at, new_state, new_code in [*events, (end, None, None)]:
        if since is not None and state is not None:
            span = min(at, end) - since
            if state == READY:
                ready += span
            else:
                fault += span
                by_code[code or "unknown"] += span
        if new_state is None or at >= end:
            break
        if new_state == FAULT and state != FAULT:
            faults += 1
        state, code, since = new_state, new_code, at
    return Uptime(ready, fault, faults, dict(by_code))


@dataclass(frozen=True)
class PrinterFigures:
    printer_id: int
    name: str
    office_code: str | None
    attempts: int
    printed: int
    failed: int
    held: int
    spoiled: int
    failures_by_code: dict[str, int]
    uptime: Uptime

    @property
    def failure_rate(self) -> Fraction | None:
        return Fraction(self.failed, self.attempts) if self.attempts else None


def _printers_in_scope(session: Session, offices: Sequence[str] | None, lo: dt.datetime,
                       hi: dt.datetime) -> list[Printer]:
    query = select(Printer).order_by(Printer.name)
    if offices is not None:
        used = select(PrintAttempt.printer_id).where(
            PrintAttempt.office_code.in_(list(offices)), PrintAttempt.started_at >= lo,
            PrintAttempt.started_at < hi)
        query = query.where(or_(Printer.office_code.in_(list(offices)), Printer.id.in_(used)))
    return list(session.scalars(query))


def _uptime_of(session: Session, printer_id: int, lo: dt.datetime, hi: dt.datetime) -> Uptime:
    e = PrinterEvent
    before = session.execute(select(e.state, e.code).where(e.printer_id == printer_id, e.at < lo)
                             .order_by(e.at.desc(), e.id.desc()).limit(1)).first()
    inside = session.execute(select(e.at, e.state, e.code).where(
        e.printer_id == printer_id, e.at >= lo, e.at < hi).order_by(e.at, e.id)).all()
    return uptime([tuple(r) for r in inside], tuple(before) if before else None, lo, hi)


def printer_figures(session: Session, offices: Sequence[str] | None, period: Period,
                    tz: dt.tzinfo = JAKARTA, now: dt.datetime | None = None,
                    ) -> list[PrinterFigures]:
    """Per printer used by, or belonging to, the offices in scope. Attempts and spoiled
    blanks count those of the offices in scope (whose blanks were used)."""
    lo, hi = period.bounds(tz)
    hi_now = min(hi, now or utcnow())
    out = []
    for printer in _printers_in_scope(session, offices, lo, hi):
        a = PrintAttempt
        attempts = select(a.state, a.error_code, func.count()).where(
            a.printer_id == printer.id, a.started_at >= lo, a.started_at < hi)
        if offices is not None:
            attempts = attempts.where(a.office_code.in_(list(offices)))
        states: Counter[str] = Counter()
        codes: Counter[str] = Counter()
        for state, code, count in session.execute(attempts.group_by(a.state, a.error_code)):
            states[state] += count
            if state == ATTEMPT_FAILED:
                codes[code or "unknown"] += count
        m = StockMovement
        spoiled = select(func.coalesce(func.sum(-m.quantity), 0)).where(
            m.kind == SPOILED, m.printer_id == printer.id, m.at >= lo, m.at < hi)
        if offices is not None:
            spoiled = spoiled.where(m.office_code.in_(list(offices)))
        out.append(PrinterFigures(
            printer.id, printer.name, printer.office_code, sum(states.values()),
            states[ATTEMPT_PRINTED], states[ATTEMPT_FAILED], states[ATTEMPT_HELD],
            int(session.scalar(spoiled)), dict(codes.most_common()),
            _uptime_of(session, printer.id, lo, hi_now) if hi_now > lo else Uptime()))
    return out
