"""The dashboard's filters, read from the query string: an office the user oversees (or all of
them) and a period (a preset, or a custom range of days)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from registry import periods
from registry.errors import InvalidRecordError
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


def read_period(args: Mapping[str, str], today: dt.date) -> tuple[Period, list[str]]:
    """The period asked for, or this year with the reason the request was not understood."""
    text = (args.get("period") or "").strip()
    start, end = (args.get("from") or "").strip(), (args.get("to") or "").strip()
    try:
        if text and text != "custom":
            return periods.parse(text), []
        if start or end:
            first = dt.date.fromisoformat(start) if start else dt.date(today.year, 1, 1)
            last = dt.date.fromisoformat(end) if end else today
            return Period(first, last), []
    except InvalidRecordError as exc:
        return periods.year(today.year), [r for rs in exc.errors.values() for r in rs]
    except ValueError:
        return periods.year(today.year), [str(_l("Dates are written YYYY-MM-DD."))]
    return periods.year(today.year), []


def read(args: Mapping[str, str], today: dt.date) -> tuple[Selection, list[str]]:
    period, problems = read_period(args, today)
    offices, office = access.scope((args.get("office") or "").strip() or None)
    return Selection(period, offices, office), problems
