"""Figures as people read them: exact values rounded half-up only here, at the last step, and
written the local way (84,26 in Bahasa Indonesia, 84.26 in English)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from flask import Flask
from flask_babel import format_decimal, gettext

from registry.skm import round_half_up

DASH = "–"
DAILY_USE_PLACES = 3  # blanks used per day: one blank in a 30-day window is 0.033, not 0.0
_DAY = dt.timedelta(days=1)
_MICROSECOND = dt.timedelta(microseconds=1)


def fixed(value: Fraction | int | None, places: int) -> str:
    if value is None:
        return DASH
    rounded = round_half_up(Fraction(value), places)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(rounded, format=pattern)


def score(value: Fraction | None) -> str:
    """A converted SKM score (25-100): two decimals, as the regulation presents it."""
    return fixed(value, 2)


def nrr(value: Fraction | None) -> str:
    return fixed(value, 3)


def index(value: Fraction | None) -> str:
    """The 1-4 index: four decimals, as in the regulation's interval table."""
    return fixed(value, 4)


def daily_use(value: Fraction | None) -> str:
    """Blanks used per day, with the same three decimals everywhere (page, report, CSV)."""
    return fixed(value, DAILY_USE_PLACES)


def percent(value: Fraction | None, places: int = 1) -> str:
    return DASH if value is None else f"{fixed(value * 100, places)} %"


def count(value: int | None) -> str:
    return DASH if value is None else format_decimal(value, format="#,##0")


def day_fraction(value: dt.timedelta | None) -> Fraction | None:
    """A duration in days, exactly."""
    if value is None:
        return None
    return Fraction(value // _MICROSECOND, _DAY // _MICROSECOND)


def days(value: dt.timedelta | None) -> str:
    """A wait in days with one decimal (8 hours is 0,3 days)."""
    if value is None:
        return DASH
    return gettext("%(days)s days", days=fixed(day_fraction(value), 1))


def as_float(value: Fraction | Decimal | None) -> float | None:
    """For chart geometry only, never for a figure shown as text."""
    return None if value is None else float(value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        skm_score=score, skm_nrr=nrr, skm_index=index, skm_percent=percent, skm_count=count,
        skm_days=days, skm_fixed=fixed, skm_daily_use=daily_use)
