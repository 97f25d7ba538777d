"""`ktp users …` and `ktp tokens …`: clerk accounts and API tokens."""

from __future__ import annotations

import datetime as dt
import sys

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import users
from registry.models import ApiToken, User
from registry.validation import text_problem

from ..auth.passwords import WeakPasswordError, hash_password
from ..database import actor, db
from .common import command


@click.group(name="users")
def users_group() -> None:
    """Clerk accounts (operator, supervisor, admin), each acting for one office."""


def read_password() -> str:
    """Prompted twice on a terminal; the first line of standard input otherwise (scripts)."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        line: str | None = sys.stdin.readline().rstrip("\r\n")
    except UnicodeDecodeError:  # a UTF-8 locale; a C locale keeps the bytes as surrogates
        line = None
    if line is None or text_problem(line):
        raise click.ClickException("the password on standard input is not UTF-8 text")
    if not line:
        raise click.ClickException("no password on standard input")
    return line


@command(users_group, name="create")
@click.argument("name")
@click.option("--role", type=click.Choice(["operator", "supervisor", "admin"]), required=True)
@click.option("--office", "office_code", required=True, help="Office code, e.g. 33.14.")
@click.option("--full-name", default="", help="Shown on pages and in the audit log.")
def users_create(name: str, role: str, office_code: str, full_name: str) -> None:
    """Create user NAME. The password is asked twice, or read from standard input."""
    try:
        password_hash = hash_password(read_password())
    except WeakPasswordError as exc:
        raise click.ClickException(str(exc)) from None
    with db().write() as session:
        user = users.create(session, actor(), name, role=role, office_code=office_code,
                            password_hash=password_hash, full_name=full_name)
        click.echo(f"created {user.role} {user.username} for office {user.office_code}")


@command(users_group, name="password")
@click.argument("name")
def users_password(name: str) -> None:
    """Set a new password for user NAME (a lost demo password, say); it also lifts a sign-in
    lock. Asked twice, or read from standard input; recorded in the audit log."""
    with db().read() as session:
        users.get(session, name)  # an unknown user is said before a password is asked
    try:
        password_hash = hash_password(read_password())
    except WeakPasswordError as exc:
        raise click.ClickException(str(exc)) from None
    with db().write() as session:
        users.set_password(session, actor(), name, password_hash, note="set from the console")
    click.echo(f"new password set for {name}")


@command(users_group, name="disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """Disable user NAME: their sessions and API tokens stop working at once."""
    with db().write() as session:
        users.set_active(session, actor(), name, False)
    click.echo(f"{name} is disabled")


@command(users_group, name="enable")
@click.argument("name")
def users_enable(name: str) -> None:
    """Enable user NAME again."""
    with db().write() as session:
        users.set_active(session, actor(), name, True)
    click.echo(f"{name} is enabled")


@command(users_group, name="list")
def users_list() -> None:
    """List users with role and office."""
    with db().read() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            state = "" if user.active else "\t(disabled)"
            click.echo(f"{user.username}\t{user.role}\t{user.office_code}{state}")


@click.group(name="tokens")
def tokens_group() -> None:
    """API bearer tokens."""


@command(tokens_group, name="create")
@click.argument("name")
@click.option("--label", default="cli", show_default=True, help="What the token is for.")
def tokens_create(name: str, label: str) -> None:
    """Create an API token for user NAME; printed once, as the last line."""
    with db().write() as session:
        token = users.create_token(session, actor(), users.get(session, name), label)
    click.echo(f"token for {name} ({label}); it is shown only now:", err=True)
    click.echo(token)



def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "-"
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M")


@command(tokens_group, name="list")
@click.option("--user", "username", default=None, help="Only the tokens of this user.")
def tokens_list(username: str | None) -> None:
    """List API tokens: id, name, owner, created, last used and revoked (UTC; "-": never).
    The tokens themselves are never shown again: only their hash is stored."""
    with db().read() as session:
        click.echo("ID\tNAME\tOWNER\tCREATED\tLAST USED\tREVOKED")
        for token in users.tokens(session, username):
            click.echo("\t".join((str(token.id), token.name, token.user.username,
                                  _when(token.created_at), _when(token.last_used_at),
                                  _when(token.revoked_at))))


def _token_to_revoke(session: Session, which: str, username: str | None) -> ApiToken:
    """The one token ``which`` names (an id, or the name of one live token of ``username``)."""
    found = users.tokens_called(session, which, username)
    if not found:
        raise click.ClickException(f"no API token {which!r}"
                                   + (f" of {username}" if username else "")
                                   + "; see `ktp tokens list`")
    if len(found) > 1:
        listed = ", ".join(f"{t.id} ({t.user.username})" for t in found)
        raise click.ClickException(f"{len(found)} tokens are named {which!r}: {listed}; "
                                   "revoke one by its ID")
    return found[0]


@command(tokens_group, name="revoke")
@click.argument("which", metavar="NAME|ID")
@click.option("--user", "username", default=None, help="The owner, for a NAME several share.")
def tokens_revoke(which: str, username: str | None) -> None:
    """Revoke an API token by its name or ID (`ktp tokens list`): it is refused (401) from
    its next request on. Recorded in the audit log."""
    with db().write() as session:
        token = _token_to_revoke(session, which, username)
        said = f"token {token.id} ({token.name!r} of {token.user.username})"
        if not users.revoke_token(session, actor(), token):
            click.echo(f"{said} was revoked already, on {_when(token.revoked_at)} UTC")
            return
    click.echo(f"revoked {said}")


commands = [users_group, tokens_group]
