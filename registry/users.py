"""Clerk accounts and API tokens. Passwords arrive already hashed (the app owns the KDF);
tokens are random, shown once, and stored as SHA-256 only."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .audit import Actor
from .errors import ConflictError, InvalidRecordError, NotFoundError
from .models import ROLES, ApiToken, Office, User, utcnow
from .regions import in_region

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


def tokens(session: Session, username: str | None = None) -> list[ApiToken]:
    """Every API token (of ``username``), oldest first."""
    query = select(ApiToken).join(ApiToken.user).order_by(ApiToken.id)
    if username is not None:
        query = query.where(ApiToken.user_id == get(session, username).id)
    return list(session.scalars(query))


def tokens_called(session: Session, which: str, username: str | None = None) -> list[ApiToken]:
    """The token with id ``which``, or those named ``which`` (the live ones if any are)."""
    found = tokens(session, username)
    if which.isdigit():
        return [t for t in found if t.id == int(which)]
    named = [t for t in found if t.name == which]
    return [t for t in named if t.revoked_at is None] or named


def revoke_token(session: Session, actor: Actor, row: ApiToken) -> bool:
    """Refuse ``row`` from its next request on; False when it was revoked already."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    audit.record(session, actor, "token.revoke", "user", row.user.username,
                 note=f"API token {row.name!r} (id {row.id}) revoked")
    return True


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


def listed(session: Session, office_code: str | None = None) -> list[User]:
    """Every user, or those of one office and the offices under it."""
    query = select(User).order_by(User.office_code, User.username)
    if office_code:
        query = query.where(in_region(User.office_code, office_code))
    return list(session.scalars(query))


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    """Disable an account (its sessions and API tokens stop working at once) or enable it."""
    user = get(session, username)
    if user.active != active:
        user.active = active
        audit.record(session, actor, "user.enable" if active else "user.disable", "user",
                     username, {"active": [not active, active]})
    return user


def set_password(session: Session, actor: Actor, username: str, password_hash: str,
                 note: str | None = None) -> User:
    """A new password (already hashed); it also lifts a sign-in lock."""
    user = get(session, username)
    user.password_hash = password_hash
    user.failed_logins, user.locked_until = 0, None
    audit.record(session, actor, "user.password", "user", username, note=note)
    return user


def rehash_password(session: Session, user: User, password_hash: str) -> None:
    """The same password under newer hashing parameters: not a change worth an audit entry."""
    user.password_hash = password_hash


def locked_until(user: User, now: dt.datetime | None = None) -> dt.datetime | None:
    """When a locked account opens again; None when it is not locked."""
    until = user.locked_until
    return until if until is not None and until > (now or utcnow()) else None


def login_failed(session: Session, user: User, *, max_failures: int,
                 lock_for: dt.timedelta) -> dt.datetime | None:
    """Count a wrong password; the ``max_failures``-th in a row locks the account for
    ``lock_for``. Returns the end of the lock when this failure set it."""
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins < max_failures:
        return None
    user.failed_logins, user.locked_until = 0, utcnow() + lock_for
    audit.record(session, Actor(user.username, office_code=user.office_code), "user.lock",
                 "user", user.username, {"locked_until": [None, audit.jsonable(user.locked_until)]},
                 note=f"{max_failures} wrong passwords in a row")
    return user.locked_until


def login_succeeded(session: Session, user: User) -> None:
    user.failed_logins, user.locked_until = 0, None


def unlock(session: Session, actor: Actor, username: str) -> User:
    user = get(session, username)
    if user.locked_until is not None or user.failed_logins:
        user.failed_logins, user.locked_until = 0, None
        audit.record(session, actor, "user.unlock", "user", username)
    return user
