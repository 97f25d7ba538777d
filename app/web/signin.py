"""Checking a clerk's password, with throttling per account and per address.

Per account: ``LOGIN_MAX_FAILURES`` wrong passwords in a row lock it for ``LOGIN_LOCK_MINUTES``
(users.failed_logins / locked_until). Per address: ``LOGIN_MAX_FAILURES_PER_ADDRESS`` failed
attempts in that window, whatever the user names, block the address (guessing across many
accounts). Every failure is an audit entry keyed by the address, which is also what the
address throttle counts, so it holds across server processes and restarts.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from registry import audit, audit_log, users
from registry.audit import Actor
from registry.models import User, utcnow

from ..auth.passwords import hash_password, needs_rehash, verify
from ..auth.principal import Principal
from ..database import db

FAILED = "login.failed"


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so both cases take the same time."""
    return hash_password("not-a-real-password")


class SignInRefusedError(Exception):
    """Why signing in did not work, in words for the clerk."""


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    office_name: str


def _settings() -> tuple[int, int, dt.timedelta]:
    config = current_app.config
    return (config["LOGIN_MAX_FAILURES"], config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
            dt.timedelta(minutes=config["LOGIN_LOCK_MINUTES"]))


def authenticate(username: str, password: str, address: str) -> SignedIn:
    """The signed-in clerk, or `SignInRefusedError`; failures are recorded either way."""
    username = username.strip().lower()[:40]
    per_user, per_address, window = _settings()
    refusal: str | None = None
    with db().write() as session:
        if audit_log.count_since(session, FAILED, "address", address,
                                 utcnow() - window) >= per_address:
            _failed(session, username, address, "address blocked")
            refusal = _("Too many failed sign-ins from this computer. Wait %(minutes)d minutes "
                        "or ask an administrator.", minutes=int(window.total_seconds() // 60))
        else:
            user = session.scalar(select(User).where(User.username == username))
            refusal = _check(session, username, user, password, address, per_user, window)
            if refusal is None:
                users.login_succeeded(session, user)
                if needs_rehash(user.password_hash):
                    users.rehash_password(session, user, hash_password(password))
                principal = Principal.of(user)
                audit.record(session, principal.actor, "login", "user", user.username,
                             note=f"from {address}")
                signed_in = SignedIn(principal, user.office.name)
    if refusal is not None:
        raise SignInRefusedError(refusal)
    return signed_in


def _check(session, username: str, user: User | None, password: str, address: str,
           per_user: int, window: dt.timedelta) -> str | None:
    wrong = _("Wrong user name or password.")
    if user is None or not user.active:
        verify(_dummy_hash(), password)
        _failed(session, username, address, "account disabled" if user else "unknown user")
        return wrong
    until = users.locked_until(user)
    if until is not None:
        _failed(session, username, address, "account locked")
        return _locked(until)
    if not verify(user.password_hash, password):
        _failed(session, username, address, "wrong password")
        until = users.login_failed(session, user, max_failures=per_user, lock_for=window)
        return _locked(until) if until is not None else wrong
    return None


def _locked(until: dt.datetime) -> str:
    return _("This account is locked after too many wrong passwords until %(time)s. "
             "Wait, or ask an administrator to reset the password.",
             time=format_datetime(until, "HH:mm"))


def _failed(session, username: str, address: str, why: str) -> None:
    actor = Actor(username or "anonymous")
    audit.record(session, actor, FAILED, "address", address, {"username": [None, username]},
                 note=why)
