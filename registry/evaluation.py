"""Everything the evaluation shows for some offices and a period, computed once: the SKM (all,
per office, per month, against the previous period and the sample it needs) and the service
indicators. The dashboard, the CSV and JSON exports, the annual report and the CLI all read
this one structure, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from . import skm, survey
from .indicators import lead_times as lead
from .indicators import volumes
from .indicators.printers import PrinterFigures, printer_figures
from .indicators.stock import WINDOW_DAYS, StockFigures, stock_figures
from .models import utcnow
from .periods import JAKARTA, Period

DAILY_UP_TO = 62  # a longer period is charted by month


@dataclass(frozen=True)
class SurveyFigures:
    overall: skm.Result
    by_office: dict[str, skm.Result]
    by_month: dict[dt.date, skm.Result]
    by_channel: dict[str, int]
    previous: skm.Result  # the period of the same length before
    served: dict[str, int]  # handovers per office: the population the sample is drawn from
    invited: dict[str, int]  # codes issued per office

    @property
    def served_total(self) -> int:
        return sum(self.served.values())

    @property
    def required(self) -> int:
        return skm.required_sample(self.served_total)

    def required_for(self, office: str) -> int:
        return skm.required_sample(self.served.get(office, 0))


@dataclass(frozen=True)
class Evaluation:
    period: Period
    offices: list[str]
    survey: SurveyFigures
    daily: volumes.Daily
    lead_times: dict[str, lead.LeadTimes]
    lead_overall: lead.LeadTimes
    reprints: dict[str, dict[str, int]]
    printers: list[PrinterFigures]
    stock: list[StockFigures]
    generated_at: dt.datetime

    @property
    def by_office(self) -> dict[str, volumes.Counts]:
        return volumes.by_office(self.daily)

    @property
    def totals(self) -> volumes.Counts:
        return volumes.total(self.daily)

    @property
    def daily_series(self) -> bool:
        return self.period.days <= DAILY_UP_TO

    @property
    def series(self) -> dict[dt.date, volumes.Counts]:
        """Per day for a short period, per month for a longer one."""
        if self.daily_series:
            return volumes.by_day(self.daily, self.period)
        return volumes.by_month(self.daily, self.period)

    @property
    def reprint_totals(self) -> dict[str, int]:
        return volumes.reprint_totals(self.reprints)


def survey_figures(session: Session, offices: Sequence[str] | None, period: Period,
                   served: dict[str, int]) -> SurveyFigures:
    tallies = survey.daily_tallies(session, offices, period)
    overall, by_office = skm.Tally(), defaultdict(skm.Tally)
    by_month = {first: skm.Tally() for first in period.each_month()}
    by_channel: defaultdict[str, int] = defaultdict(int)
    for (office, day, channel), counted in tallies.items():
        overall += counted
        by_office[office] += counted
        by_month[day.replace(day=1)] += counted
        by_channel[channel] += counted.respondents
    before = survey.daily_tallies(session, offices, period.previous())
    return SurveyFigures(
        skm.result(overall), {o: skm.result(t) for o, t in sorted(by_office.items())},
        {m: skm.result(t) for m, t in by_month.items()}, dict(by_channel),
        skm.result(sum(before.values(), skm.Tally())), served,
        survey.invitations(session, offices, period))


def evaluate(session: Session, offices: Sequence[str] | None, period: Period, *,
             tz: dt.tzinfo = JAKARTA, now: dt.datetime | None = None,
             window_days: int = WINDOW_DAYS) -> Evaluation:
    """The evaluation of ``offices`` (None: every office) over ``period``."""
    now = now or utcnow()
    daily = volumes.daily(session, offices, period, tz)
    served = {o: c.handed_over for o, c in volumes.by_office(daily).items() if c.handed_over}
    per_office, overall = lead.lead_times(session, offices, period, tz)
    return Evaluation(
        period=period,
        offices=list(offices) if offices is not None else [],
        survey=survey_figures(session, offices, period, served),
        daily=daily,
        lead_times=per_office,
        lead_overall=overall,
        reprints=volumes.reprints(session, offices, period, tz),
        printers=printer_figures(session, offices, period, tz, now),
        stock=stock_figures(session, offices, period, tz, now, window_days),
        generated_at=now,
    )
