"""`ktp users …` and `ktp tokens …`: clerk accounts and API tokens."""

from __future__ import annotations

import sys

import click

from registry import users

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
    line = sys.stdin.readline().rstrip("\r\n")
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


@command(users_group, name="list")
def users_list() -> None:
    """List users with role and office."""
    from sqlalchemy import select

    from registry.models import User

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


commands = [users_group, tokens_group]
