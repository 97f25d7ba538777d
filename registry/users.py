"""Clerk accounts and API tokens. Passwords arrive already hashed (the app owns the KDF);
tokens are random, shown once, and stored as SHA-256 only."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .audit import Actor
from .errors import ConflictError, InvalidRecordError, NotFoundError
from .models import ROLES, ApiToken, Office, User, utcnow

_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,39}$")
TOKEN_PREFIX = "ktp_"


def create(session: Session, actor: Actor, username: str, *, role: str, office_code: str,
           password_hash: str, full_name: str = "") -> User:
    errors: dict[str, list[str]] = {}
    if not _USERNAME.match(username):
        errors["username"] = ["must be 3-40 characters: lower-case letters, digits, . _ -, "
                              "starting with a letter"]
    if role not in ROLES:
        errors["role"] = [f"must be one of {', '.join(ROLES)}"]
    if session.get(Office, office_code) is None:
        errors["office"] = [f"no office {office_code}; add it with `ktp offices add {office_code}`"]
    if errors:
        raise InvalidRecordError(errors)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ConflictError(f"user {username} exists already")
    user = User(username=username, role=role, office_code=office_code,
                password_hash=password_hash, full_name=full_name)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", username,
                 audit.created({"username": username, "role": role, "office_code": office_code}))
    return user


def get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError("user", username)
    return user


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, actor: Actor, user: User, name: str) -> str:
    """A new bearer token for ``user``; the only time its text exists outside the client."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=hash_token(token)))
    audit.record(session, actor, "token.create", "user", user.username,
                 note=f"API token {name!r} created")
    return token


def token(session: Session, text: str) -> ApiToken | None:
    """The live token with this text, or None (unknown, revoked, or its user disabled)."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(text)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    return row


TOKEN_USE_RESOLUTION_S = 300


def token_use_is_stale(row: ApiToken) -> bool:
    """Use is recorded coarsely, so that reads do not become a write per request."""
    last = row.last_used_at
    return last is None or (utcnow() - last).total_seconds() > TOKEN_USE_RESOLUTION_S


def touch_token(session: Session, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is not None and token_use_is_stale(row):
        row.last_used_at = utcnow()
