"""Service evaluation: the SKM survey and the service indicators (issue: evaluation)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from registry.audit import Actor
from registry.models import Card


def init_app(app: Flask) -> None:
    """Register the kiosk, dashboard, report pages and commands."""


def on_handover(session: Session, actor: Actor, card: Card) -> str | None:
    """Called by the counter in the handover transaction; returns the one-time survey code to
    show or print for the resident (None while the survey is not set up)."""
    return None
