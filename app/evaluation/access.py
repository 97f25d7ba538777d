"""Who may see the evaluation: supervisors and admins, for the offices of their region (the
kabupaten's KPT sees every office); clerks may type in paper forms. Refusals are audited.

The data routes (CSV, JSON, PDF) also take an API bearer token, so a script can fetch them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, g, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from registry import audit
from registry.indicators import offices_within
from registry.models import OPERATOR, SUPERVISOR, Office

from ..auth import require_api_principal
from ..auth.principal import Principal
from ..database import db
from ..web.access import AUDIT_KEY_LENGTH, signed_in, wants_json


class EvaluationAccessDenied(Exception):
    """``message`` is lazy (shown in the user's language); the audit keeps it in English."""

    def __init__(self, message: Any, entity: str, key: str) -> None:
        super().__init__(str(message))
        # cut to the audit log's column: a crafted 10,000-character office was a 500
        self.message, self.entity, self.key = message, entity, str(key)[:AUDIT_KEY_LENGTH]


def principal() -> Principal:
    return g.principal


def authenticate() -> Any:
    """``before_request`` of the data routes: a bearer token, else the signed-in session."""
    if request.headers.get("Authorization"):
        return require_api_principal()
    return signed_in()


def deny(message: Any, entity: str, key: str) -> None:
    raise EvaluationAccessDenied(message, entity, key)


def require_overseer() -> None:
    who = principal()
    if not who.can(SUPERVISOR):
        deny(_l("Your role (%(role)s) may not see the service evaluation.", role=who.role),
             "role", who.role)


def require_clerk() -> None:
    who = principal()
    if not who.can(OPERATOR, SUPERVISOR):
        deny(_l("Your role (%(role)s) may not enter survey forms.", role=who.role),
             "role", who.role)


def require_office(office_code: str) -> None:
    who = principal()
    if not who.serves(office_code):
        deny(_l("Office %(office)s is outside the area of your office (%(mine)s).",
                office=office_code, mine=who.office_code), "office", office_code)


def visible_offices() -> list[str]:
    """The offices the signed-in user oversees, the user's own first."""
    with db().read() as session:
        return offices_within(session, principal().office_code)


def scope(wanted: str | None) -> tuple[list[str], str | None]:
    """The offices to report on: the one asked for (if the user oversees it) or all visible."""
    visible = visible_offices()
    if wanted:
        require_office(wanted)
        if wanted not in visible:
            deny(_l("There is no office %(office)s.", office=wanted), "office", wanted)
        return [wanted], wanted
    return visible, None


def _denied(exc: EvaluationAccessDenied):
    who = g.get("principal")
    with force_locale("en"):
        note = str(exc.message)
    with db().write() as session:
        audit.record(session, who.actor if who else audit.Actor("anonymous"), "access.denied",
                     exc.entity, exc.key, note=note)
    if wants_json() or request.headers.get("Authorization"):
        return jsonify(code=403, message=str(exc.message)), 403
    return render_template("errors/403.html", message=exc.message), 403


def register_denials(*blueprints: Blueprint) -> None:
    for bp in blueprints:
        bp.register_error_handler(EvaluationAccessDenied, _denied)


def office_names(codes: Sequence[str]) -> dict[str, str]:
    with db().read() as session:
        return dict(session.execute(select(Office.code, Office.name)
                                    .where(Office.code.in_(list(codes)))).all())
