"""Jinja helpers every counter template uses: dates as clerks write them, labels of codes,
place names, and the language the clerk chose."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, request, session
from flask_babel import format_datetime, get_locale
from markupsafe import Markup, escape

from registry import regions

from ..database import db
from . import labels
from .access import refusal_advice
from .notes import card_note, note_text
from .print_status import fault_text

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def when(value: dt.datetime | None) -> str:
    """A moment in the office's time zone, ``DD-MM-YYYY HH:MM`` as on forms."""
    return "" if value is None else format_datetime(value, "dd-MM-yyyy HH:mm")


def since(value: dt.datetime | None) -> str:
    """Short for worklists: the time when it is today (in the office), else the date."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = value.astimezone(zone)
    return local.strftime("%H:%M") if local.date() == dt.datetime.now(zone).date() \
        else local.strftime("%d-%m-%Y")


def day(value: dt.date | None) -> str:
    """A date the way the card prints it: ``DD-MM-YYYY``."""
    return "" if value is None else value.strftime("%d-%m-%Y")


def region_index() -> regions.RegionIndex:
    """The region names, read once per request (the index itself is cached per process)."""
    if "region_index" not in g:
        with db().read() as s:
            g.region_index = regions.index(s)
    return g.region_index


def place(desa_code: str | None) -> str:
    """``Desa, Kecamatan`` of a desa code."""
    if not desa_code:
        return ""
    index = region_index()
    if not index.is_desa(desa_code):
        return index.name(desa_code) if index.exists(desa_code) else desa_code
    found = index.place(desa_code)
    return f"{found.desa}, {found.kecamatan}"


def region_name(code: str | None) -> str:
    index = region_index()
    return index.name(code) if code and index.exists(code) else (code or "")


def state_badge(state: str) -> Markup:
    css = state.lower().replace(" ", "-")
    return Markup('<span class="badge state-{}">{}</span>').format(
        css, labels.label(labels.STATES, state))


def changes_list(changes: dict[str, Any] | None) -> Markup:
    """``field: old → new`` lines of an audit or application change set."""
    if not changes:
        return Markup("")
    items = []
    for field, pair in changes.items():
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        name = labels.label(labels.FIELDS, field)
        items.append(Markup("<li><span class=\"field\">{}</span>: {} → {}</li>").format(
            name, "–" if old in (None, "") else old, "–" if new in (None, "") else new))
    return Markup('<ul class="changes">') + Markup("").join(items) + Markup("</ul>")


def _remember_language() -> None:
    chosen = request.args.get("lang")
    if chosen and chosen in current_app.config["LANGUAGES"] and session.get("lang") != chosen:
        session["lang"] = chosen


def init_app(app: Flask) -> None:
    app.before_request(_remember_language)
    app.jinja_env.filters.update(when=when, day=day, since=since, place=place,
                                 region_name=region_name, state_badge=state_badge,
                                 changes_list=changes_list, note_text=note_text,
                                 card_note=card_note)
    app.jinja_env.globals.update(
        labels=labels, label=labels.label, reason_text=labels.reason_text,
        language_names=LANGUAGE_NAMES, current_language=lambda: str(get_locale() or "id"),
        escape=escape, refusal_advice=refusal_advice, fault_text=fault_text)
