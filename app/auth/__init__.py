"""Who is calling: a browser session (Flask-Login) or a bearer token (API clients)."""

from __future__ import annotations

from flask import Flask, g, jsonify, request
from flask_login import LoginManager, current_user

from registry import users

from ..database import db
from .principal import Principal

login_manager = LoginManager()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> Principal | None:
        from registry.models import User

        if not user_id.isdigit():
            return None
        with db().read() as session:
            user = session.get(User, int(user_id))
            return Principal.of(user) if user is not None and user.active else None


def _unauthorized(message: str):
    response = jsonify(code=401, status="Unauthorized", message=message)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="ktp"'
    return response


def require_api_principal():
    """``before_request`` of API blueprints: a bearer token or a signed-in session."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, text = header.partition(" ")
        if scheme.lower() != "bearer" or not text.strip():
            return _unauthorized("use 'Authorization: Bearer <token>'")
        database = db()
        with database.read() as session:
            token = users.token(session, text.strip())
            principal = Principal.of(token.user, via_token=True) if token else None
            stale = token is not None and users.token_use_is_stale(token)
            token_id = token.id if token else None
        if principal is None:
            return _unauthorized("the token is unknown or revoked")
        if stale and token_id is not None:
            with database.write() as session:
                users.touch_token(session, token_id)
    elif current_user.is_authenticated:
        principal = current_user._get_current_object()
    else:
        return _unauthorized("sign in, or send 'Authorization: Bearer <token>'")
    g.principal = principal
    g.actor = principal.actor
    return None
