"""Session safety for every page of the app: CSRF on every form, the idle timeout, and headers
that keep pages with personal data out of shared caches, frames and the back button of a
shared office PC.
"""

from __future__ import annotations

import time

from flask import (
    Flask,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from registry import audit

from ..auth import require_api_principal
from ..database import db
from .access import safe_next, wants_json

csrf = CSRFProtect()
SEEN = "seen"
TOUCH_SECONDS = 30  # the idle clock is refreshed at most this often (fewer cookie rewrites)
KEEP_ON_SIGN_OUT = ("lang",)
# A script's background request (a poll of a print or a batch) sends this header: it is no
# sign of a clerk at the PC, so it never keeps an idle session alive (it is still refused
# once the session idled out). The endpoints below only ever answer such polls.
BACKGROUND_HEADER = "X-KTP-Background"
_BACKGROUND_ENDPOINTS = {"printing.status", "printing.printer_status"}

# Pages of these blueprints get a strict Content-Security-Policy (no inline script or style).
# Another feature whose templates follow the same rule can add its blueprint with `strict_csp`.
_STRICT_BLUEPRINTS: set[str] = set()
CSP = ("default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
       "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


def strict_csp(*blueprints: str) -> None:
    _STRICT_BLUEPRINTS.update(blueprints)


def background_endpoints(*endpoints: str) -> None:
    """Endpoints polled by scripts only, which must not count as a clerk's activity."""
    _BACKGROUND_ENDPOINTS.update(endpoints)


def is_background() -> bool:
    return bool(request.headers.get(BACKGROUND_HEADER)) \
        or request.endpoint in _BACKGROUND_ENDPOINTS


def init_app(app: Flask) -> None:
    # Bearer-token API calls carry no cookie, so a forged cross-site request cannot use them;
    # Flask-WTF's default hook would refuse them, so the check runs in `_check_csrf` instead.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
    csrf.init_app(app)
    app.before_request(_check_csrf)
    app.before_request(_idle_timeout)
    app.after_request(_headers)
    app.register_error_handler(CSRFError, _csrf_refused)


def _check_csrf() -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.headers.get("Authorization"):
        return
    if _answers_anonymous_itself() and not current_user.is_authenticated:
        return  # nobody is signed in, so nothing can be forged: the API says 401 itself
    csrf.protect()


def _answers_anonymous_itself() -> bool:
    """An API route (`app.auth.require_api_principal`): a caller with neither a session nor a
    bearer token gets its 401 JSON, which tells a script what to send; a CSRF refusal would
    tell it to reload a form it never had."""
    hooks = current_app.before_request_funcs
    return any(require_api_principal in hooks.get(name, ()) for name in request.blueprints)


def _csrf_refused(exc: CSRFError):
    message = _("This form has expired or did not come from this site. "
                "Go back, reload the page and send it again.")
    if wants_json():
        return jsonify(code=400, message=message), 400
    return render_template("errors/csrf.html", message=message), 400


def _is_static() -> bool:
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def end_session() -> None:
    """Sign out and forget everything but the chosen language (no session fixation)."""
    kept = {k: session[k] for k in KEEP_ON_SIGN_OUT if k in session}
    logout_user()
    session.clear()
    session.update(kept)


def _idle_timeout():
    """A counter PC left signed in is signed out after IDLE_TIMEOUT_MINUTES without a click.

    Background polls (`is_background`) never refresh the idle clock: a print or batch page
    left open would otherwise keep a walked-away clerk signed in for ever."""
    if _is_static() or request.headers.get("Authorization") or "_user_id" not in session:
        return None
    now = time.time()
    seen = session.get(SEEN)
    limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    if seen is not None and now - seen > limit:
        if current_user.is_authenticated:
            with db().write() as s:
                audit.record(s, current_user.actor, "logout.idle", "user",
                             current_user.username, note=f"idle for {int((now - seen) // 60)} min")
        end_session()
        message = _("You were signed out after %(minutes)d minutes without activity.",
                    minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
        flash(message, "info")  # shown by the sign-in page a poller's page reloads to
        if wants_json() or is_background():
            return jsonify(code=401, message=message), 401
        target = safe_next(request.full_path) if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))
    if is_background():
        return None
    if seen is None or now - seen >= TOUCH_SECONDS:
        session[SEEN] = now
    return None


def _headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html" and not _is_static():
        headers.setdefault("Cache-Control", "no-store")
        headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        if request.blueprint in _STRICT_BLUEPRINTS:
            headers.setdefault("Content-Security-Policy", CSP)
    return response
