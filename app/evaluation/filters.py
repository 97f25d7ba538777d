"""The dashboard's filters, read from the query string: an office the user oversees (or all of
them) and a period (a preset, or a custom range of days)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import periods
from registry.periods import Period

from . import access


def presets(today: dt.date) -> list[tuple[str, Any]]:
    """(period label, name) of the periods offered in the filter."""
    this_month = periods.month(today.year, today.month)
    last_month = this_month.previous()
    quarter = periods.parse(f"{today.year}-Q{(today.month + 2) // 3}")
    return [
        (this_month.label(), _l("This month")),
        (last_month.label(), _l("Last month")),
        (quarter.label(), _l("This quarter")),
        (quarter.previous().label(), _l("Last quarter")),
        (str(today.year), _l("This year")),
        (str(today.year - 1), _l("Last year")),
    ]


@dataclass(frozen=True)
class Selection:
    period: Period
    offices: list[str]
    office: str | None  # the one office asked for; None: every office the user oversees

    def args(self, **extra: Any) -> dict[str, Any]:
        """Query arguments that select the same again (for links and exports)."""
        out: dict[str, Any] = {"period": self.period.label()}
        if self.office:
            out["office"] = self.office
        out.update(extra)
        return out


FIELDS = {"period": _l("Period"), "from": _l("From"), "to": _l("Until (inclusive)")}


def _day(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


def message(exc: periods.PeriodError) -> str:
    """What is wrong with a period, in the user's language, naming the field at fault."""
    field, d = str(FIELDS.get(exc.field, exc.field)), exc.details
    if exc.reason == "order":
        return _("%(field)s: the period ends on %(end)s, before it starts on %(start)s.",
                 field=field, end=_day(d["end"]), start=_day(d["start"]))
    if exc.reason == "year-range":
        return _("%(field)s: the year must be from %(first)s to %(last)s, not %(year)s.",
                 field=field, first=d["first"], last=d["last"], year=d["year"])
    if exc.reason == "no-such-month":
        return _("%(field)s: %(text)s is not a month; months are 01 to 12.", field=field,
                 text=d["text"])
    if exc.reason == "no-such-day":
        return _("%(field)s: %(text)s is not a day of the calendar.", field=field,
                 text=d["text"])
    if exc.field != "period":
        return _("%(field)s: dates are written YYYY-MM-DD.", field=field)
    return _("%(field)s: “%(text)s” is not a period; write %(forms)s.", field=field,
             text=d.get("text", ""), forms=periods.FORMS)


def _custom(start: str, end: str, today: dt.date) -> Period:
    first = periods.day(start, field="from") if start else dt.date(today.year, 1, 1)
    last = periods.day(end, field="to") if end else today
    return periods.span(first, last, fields=("from", "to"))


def read_period(args: Mapping[str, str], today: dt.date) -> tuple[Period, dict[str, list[str]]]:
    """The period asked for, or this year with what was wrong, by field (``period``,
    ``from``, ``to``), in the user's language."""
    text = (args.get("period") or "").strip()
    start, end = (args.get("from") or "").strip(), (args.get("to") or "").strip()
    try:
        if text and text != "custom":
            return periods.parse(text), {}
        if start or end:
            return _custom(start, end, today), {}
    except periods.PeriodError as exc:
        return periods.year(today.year), {exc.field: [message(exc)]}
    return periods.year(today.year), {}


def read(args: Mapping[str, str], today: dt.date) -> tuple[Selection, dict[str, list[str]]]:
    period, problems = read_period(args, today)
    offices, office = access.scope((args.get("office") or "").strip() or None)
    return Selection(period, offices, office), problems
