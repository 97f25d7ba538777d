"""The navigation bar, open to every feature.

A feature adds its pages from its own ``init_app``::

    from flask_babel import lazy_gettext as _l
    from app.web.nav import register_nav

    register_nav(_l("Batches"), "batches.index", roles=("supervisor",), order=60)

An entry shows for a signed-in user whose role is in ``roles`` (admins see every entry; no
``roles``: everyone signed in), and only in an app that has the endpoint, so a feature that is
switched off leaves no dead link. Registering the same endpoint again replaces the entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from registry.models import ADMIN, SUPERVISOR


@dataclass(frozen=True)
class NavEntry:
    label: Any  # a lazy translated string, rendered in the clerk's language
    endpoint: str
    roles: tuple[str, ...] = ()
    order: int = 100
    also: tuple[str, ...] = ()  # more blueprints whose pages light the entry up

    @property
    def sections(self) -> tuple[str, ...]:
        """The blueprint of the endpoint, and ``also``: their pages light the entry up."""
        own = self.endpoint.rsplit(".", 1)[0] if "." in self.endpoint else self.endpoint
        return (own, *self.also)


_entries: dict[str, NavEntry] = {}


def register_nav(label: Any, endpoint: str, *, roles: Iterable[str] = (), order: int = 100,
                 also: Iterable[str] = ()) -> None:
    """Add (or replace) the entry for ``endpoint``; lower ``order`` comes first. ``also``
    names more blueprints whose pages belong under this entry."""
    _entries[endpoint] = NavEntry(label, endpoint, tuple(roles), order, tuple(also))


def visible_entries() -> list[dict[str, Any]]:
    """What the current user may open, for the template."""
    if not current_user.is_authenticated:
        return []
    views = current_app.view_functions
    shown = []
    for entry in sorted(_entries.values(), key=lambda e: (e.order, e.endpoint)):
        if entry.endpoint not in views:
            continue
        if entry.roles and not current_user.can(*entry.roles):
            continue
        active = request.blueprint in entry.sections or request.endpoint == entry.endpoint
        shown.append({"label": entry.label, "url": url_for(entry.endpoint), "active": active})
    return shown


def init_app(app: Flask) -> None:
    register_nav(_l("Counter"), "home.index", order=10)
    register_nav(_l("Residents"), "resident.search", order=20, also=("registration",))
    register_nav(_l("Applications"), "applications.index", order=30,
                 also=("capture", "printing", "handover"))
    register_nav(_l("Blank cards"), "stock.index", order=40)
    register_nav(_l("Reports"), "reports.index", roles=(SUPERVISOR,), order=70)
    register_nav(_l("Audit"), "audit.index", roles=(SUPERVISOR,), order=80)
    register_nav(_l("Administration"), "admin.users", roles=(ADMIN,), order=90,
                 also=("offices", "printer_admin"))
    app.context_processor(lambda: {"nav_entries": visible_entries})

