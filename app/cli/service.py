"""`ktp serve` and `ktp demo`: running the service."""

from __future__ import annotations

import errno
import secrets

import click
from flask import current_app
from sqlalchemy import func, select

from registry import printers, regions, schema, stock, users
from registry.demo import SRAGEN
from registry.errors import NotFoundError
from registry.models import ADMIN, OPERATOR, SUPERVISOR, Resident

from ..auth.passwords import hash_password
from ..database import actor, db
from ..printers import virtual_out_dir
from .common import command
from .progress import progress

DEMO_RESIDENTS = 1000
DEMO_STOCK = 200
DEMO_USERS = (  # four-eyes: an operator takes applications, a supervisor verifies them
    ("admin", ADMIN, "Demo administrator"),
    ("petugas", OPERATOR, "Demo operator (petugas loket)"),
    ("supervisor", SUPERVISOR, "Demo supervisor"),
)
DEMO_PRINTER = ("kpt-sragen-1", "virtual://kpt-sragen-1?cards=500&ribbon=1000&print_seconds=15")


@command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=int)
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve the app with Waitress, a production WSGI server."""
    import logging

    from waitress import create_server

    if not schema.is_current(db()):
        raise click.ClickException("the database schema is not current: run `ktp init` first")
    logging.basicConfig()  # Waitress reports through logging, as its own serve() sets up
    try:
        server = create_server(current_app._get_current_object(), host=host, port=port,
                               threads=threads, ident="ktp")
    except OSError as exc:
        raise click.ClickException(_cannot_listen(host, port, exc)) from None
    click.echo(f"KTP registry on http://{host}:{port}/  (Ctrl-C to stop)")
    server.run()


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    """Why the server cannot take the address, and what to do (instead of a traceback)."""
    another = (f"choose another port: `ktp serve --port {port + 1}` "
               f"(or `make run PORT={port + 1}`)")
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use (another `ktp serve`, or another "
                f"program): stop it, or {another}")
    if exc.errno == errno.EACCES:
        return f"port {port} needs administrator rights on this system: {another}"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}; check --host, or {another}"


@command(name="demo")
@click.option("--residents", default=DEMO_RESIDENTS, show_default=True, type=int,
              help="Demo residents to seed when the registry is empty.")
def demo_command(residents: int) -> None:
    """Make a ready-to-try registry: schema, regions, demo data, an admin."""
    from ..demo.seed import ensure_sragen_offices, seed_residents

    database = db()
    schema.upgrade(database)
    with database.write() as session:
        regions.load(session)
    ensure_sragen_offices(database, actor())
    with database.read() as session:
        empty = session.scalar(select(func.count()).select_from(Resident)) == 0
    if empty:
        with progress("seeding demo residents", residents) as advance:
            report = seed_residents(database, actor(), residents, seed=1, progress=advance)
        click.echo(f"seeded {report.residents} demo residents of Kabupaten Sragen")
    with database.write() as session:
        if not printers.listed(session):
            printers.add(session, actor(), *DEMO_PRINTER, office_code=SRAGEN)
            click.echo(f"demo printer {DEMO_PRINTER[0]}: a virtual Evolis printer, cards land in "
                       f"{virtual_out_dir(DEMO_PRINTER[0])}")
    with database.write() as session:
        if stock.balance(session, SRAGEN).on_hand == 0 and not stock.ledger(session, SRAGEN, 1):
            stock.receive(session, actor(), SRAGEN, DEMO_STOCK, reference="demo delivery")
            click.echo(f"received {DEMO_STOCK} blank cards at the KPT ({SRAGEN})")
    created = []
    with database.write() as session:
        for username, role, full_name in DEMO_USERS:
            try:
                users.get(session, username)
            except NotFoundError:
                password = secrets.token_urlsafe(9)
                users.create(session, actor(), username, role=role, office_code=SRAGEN,
                             password_hash=hash_password(password), full_name=full_name)
                created.append((username, role, password))
    if not created:
        click.echo("demo users exist (their passwords were shown when they were created)")
        return
    click.echo("")
    click.echo("  Demo users of the KPT Kabupaten Sragen (shown once, keep them):")
    for username, role, password in created:
        click.echo(f"    {role:<11} user: {username:<11} password: {password}")
    click.echo("")


commands = [serve_command, demo_command]
