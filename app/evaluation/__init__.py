"""Service evaluation: the SKM survey and the service indicators (issue: evaluation).

The counter calls `on_handover` inside its handover transaction and shows or prints the code it
returns; the resident answers at the kiosk (``/survei``). Supervisors read the dashboard
(``/evaluation``), export CSV and JSON, and download the annual report; ``ktp report --year``
writes the same PDF from the console.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from registry import survey
from registry.audit import Actor
from registry.models import OPERATOR, SUPERVISOR, Card

from . import settings


def init_app(app: Flask) -> None:
    """Register the kiosk, dashboard, report pages and commands."""
    from ..web.nav import register_nav
    from ..web.security import strict_csp
    from . import cli, data, formatting, kiosk, pages

    settings.apply_defaults(app)
    formatting.init_app(app)
    for bp in (kiosk.bp, pages.bp, data.bp):
        app.register_blueprint(bp)
    strict_csp(kiosk.bp.name, data.bp.name)
    register_nav(_l("Evaluation"), "evaluation.dashboard", roles=(SUPERVISOR,), order=75)
    register_nav(_l("Paper surveys"), "evaluation.paper", roles=(OPERATOR, SUPERVISOR),
                 order=76)
    for command in cli.commands:
        app.cli.add_command(command)


def on_handover(session: Session, actor: Actor, card: Card) -> str | None:
    """Called by the counter in the handover transaction; returns the one-time survey code to
    show or print for the resident (None while the survey is switched off, or when this card
    had its code already: one response per handover)."""
    if not current_app.config.get("SURVEY_ENABLED", True):
        return None
    return survey.invite(session, actor, card, key=settings.survey_key(),
                         today=settings.today(),
                         valid_days=current_app.config.get("SURVEY_CODE_VALID_DAYS", 7))
