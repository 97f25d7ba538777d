"""The evaluation's settings (overridable like every other: instance config.py, then ``KTP_*``
environment variables), its clock, and the key the survey codes are hashed with."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from registry import periods

DEFAULTS = {
    "SURVEY_ENABLED": True,  # False: the counter gets no code at handover
    "SURVEY_CODE_VALID_DAYS": 7,  # including the day of the handover
    "SURVEY_KIOSK_MAX_FAILURES": 10,  # wrong codes from one address ...
    "SURVEY_KIOSK_WINDOW_SECONDS": 300,  # ... within this time lock it for the same time
    "SURVEY_KIOSK_RESET_SECONDS": 20,  # the thank-you page returns to the start
    "SURVEY_TICKETS_KEEP_DAYS": 30,  # `ktp survey purge` forgets tickets expired this long
    "STOCK_WINDOW_DAYS": 30,  # days of use behind "days of stock left"
}


def apply_defaults(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)


def setting(name: str):
    return current_app.config[name]


def survey_key() -> bytes:
    """Derived from the secret key: codes outstanding when it changes stop working."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"ktp survey codes", hashlib.sha256).digest()


def timezone() -> dt.tzinfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Jakarta")


def today() -> dt.date:
    return periods.today(timezone())
