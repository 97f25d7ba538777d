"""Who may open which counter page, and what happens when they may not.

A refusal raises `AccessDeniedError`. Its handler records ``access.denied`` in the audit log
after the request's own transaction has rolled back (recording it inside that transaction would
lose it) and answers with a page that says why, in the clerk's language; the audit note is kept
in English so that reports read the same whoever was refused.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, g, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from registry import audit
from registry.models import ADMIN, OPERATOR, SUPERVISOR, AuditEntry

from ..auth.principal import Principal
from ..database import db
from .labels import ENTITIES, ROLES, label

AUDIT_KEY_LENGTH = AuditEntry.__table__.c.entity_key.type.length


class AccessDeniedError(Exception):
    """The signed-in clerk may not do this; ``message`` is lazy, shown in their language.
    ``needs``: the roles that may (a refusal by role); ``area``: a record of another area."""

    def __init__(self, message: Any, entity: str, key: str, *, needs: tuple[str, ...] = (),
                 area: bool = False) -> None:
        super().__init__(str(message))
        # The key comes from the URL or form (an office code of 10,000 characters): cut to
        # what the audit log's column holds, or recording the refusal is itself a 500.
        self.message, self.entity, self.key = message, entity, str(key)[:AUDIT_KEY_LENGTH]
        self.needs, self.area = needs, area

    def english(self) -> str:
        with force_locale("en"):
            return str(self.message)


def me() -> Principal:
    return current_user._get_current_object()


def wants_json() -> bool:
    """Scripts (the print-status poller, API clients) get JSON errors, people get pages."""
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def deny(message: Any, entity: str, key: str, **why: Any) -> None:
    raise AccessDeniedError(message, entity, key, **why)


def require_role(*roles: str, action: Any) -> None:
    """``action`` is a lazy phrase completing "may not ...", e.g. _l("verify applications")."""
    who = me()
    if not who.can(*roles):
        deny(_l("Your role (%(role)s) may not %(action)s.", role=who.role, action=action),
             "role", who.role, needs=roles)


def require_area(region_code: str, entity: str, key: str) -> None:
    """A clerk sees the residents of their office's region; the kabupaten office sees all."""
    who = me()
    if not who.serves(region_code):
        deny(_l("%(entity)s %(key)s is outside the area of your office (%(office)s).",
                entity=ENTITIES.get(entity, entity), key=key, office=who.office_code),
             entity, key, area=True)


def refusal_advice(needs: tuple[str, ...] = (), area: bool = False) -> str:
    """Whom the refused clerk can turn to: it depends on their role and on the refusal (a
    supervisor refused printing is not sent to a supervisor)."""
    role = me().role if current_user.is_authenticated else None
    if area:
        return str(_l("The record belongs to the area of another office: ask a clerk of that "
                      "office."))
    doers = [r for r in needs if r != ADMIN]
    if doers and role not in doers:
        return str(_l("This is work for the role %(roles)s: ask a colleague with that role, or "
                      "an administrator of your office if your own role should change.",
                      roles=" / ".join(label(ROLES, r) for r in doers)))
    if role == OPERATOR:
        return str(_l("If you need this, ask a supervisor or an administrator of your office."))
    if role == SUPERVISOR:
        return str(_l("If you need this, ask an administrator of your office."))
    return str(_l("If you need this, ask another administrator."))


def requires(*roles: str, action: Any) -> Callable:
    """View decorator: the role check before anything else runs."""
    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            require_role(*roles, action=action)
            return view(*args, **kwargs)
        return checked
    return wrap


def signed_in() -> Any:
    """``before_request`` of every counter blueprint: sign in first, then act as that clerk."""
    if not current_user.is_authenticated:
        if wants_json():
            return jsonify(code=401, message=str(_l("Sign in first."))), 401
        back = safe_next(request.full_path) if request.method == "GET" else None
        return redirect(url_for("auth.login", next=back))
    g.principal = me()
    g.actor = g.principal.actor
    return None


def safe_next(target: str | None) -> str | None:
    """Only a path on this site may follow a sign-in (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target.rstrip("?") or None


def register_errors(app: Flask) -> None:
    @app.errorhandler(AccessDeniedError)
    def denied(exc: AccessDeniedError):
        who = me() if current_user.is_authenticated else None
        with db().write() as session:
            actor = who.actor if who else audit.Actor("anonymous")
            audit.record(session, actor, "access.denied", exc.entity, exc.key,
                         note=exc.english())
        if wants_json():
            return jsonify(code=403, message=str(exc.message)), 403
        return render_template("errors/403.html", message=exc.message,
                               advice=refusal_advice(exc.needs, exc.area)), 403
