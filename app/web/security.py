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

from ..database import db
from .access import safe_next, wants_json

csrf = CSRFProtect()
SEEN = "seen"
TOUCH_SECONDS = 30  # the idle clock is refreshed at most this often (fewer cookie rewrites)
KEEP_ON_SIGN_OUT = ("lang",)

# Pages of these blueprints get a strict Content-Security-Policy (no inline script or style).
# Another feature whose templates follow the same rule can add its blueprint with `strict_csp`.
_STRICT_BLUEPRINTS: set[str] = set()
CSP = ("default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
       "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


def strict_csp(*blueprints: str) -> None:
    _STRICT_BLUEPRINTS.update(blueprints)


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
    csrf.protect()


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
    """A counter PC left signed in is signed out after IDLE_TIMEOUT_MINUTES without a click."""
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
        if wants_json():
            return jsonify(code=401, message=message), 401
        flash(message, "info")
        target = safe_next(request.full_path) if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))
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
