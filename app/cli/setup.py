"""`ktp init`, `ktp offices …`, `ktp seed`, `ktp demo`: getting a registry ready."""

from __future__ import annotations

import click

from registry import offices, regions, schema

from ..database import actor, db
from .common import command
from .progress import progress


@command(name="init")
def init_command() -> None:
    """Create or upgrade the database schema and load the national region codes."""
    database = db()
    before = schema.current_revision(database)
    schema.upgrade(database)
    after = schema.current_revision(database)
    with database.write() as session:
        loaded = regions.load(session)
    state = "created" if before is None else ("upgraded" if before != after else "up to date")
    click.echo(f"schema {state} (revision {after}) on {database.engine.url.render_as_string()}")
    click.echo(f"region codes: {loaded} loaded" if loaded else "region codes: already current")


@click.group(name="offices")
def offices_group() -> None:
    """Service points (KPT, kecamatan and village offices)."""


@command(offices_group, name="add")
@click.argument("code")
@click.argument("name", required=False)
def offices_add(code: str, name: str | None) -> None:
    """Add the office serving region CODE (33.14, 33.14.10, 33.14.10.2007)."""
    with db().write() as session:
        office = offices.add(session, actor(), code, name)
        click.echo(f"{office.code}\t{office.name}")


@command(offices_group, name="list")
def offices_list() -> None:
    """List the offices."""
    with db().read() as session:
        for office in offices.all_offices(session):
            click.echo(f"{office.code}\t{office.name}")


@command(name="seed")
@click.option("--residents", "count", type=click.IntRange(1, 10_000_000), default=1000,
              show_default=True, help="How many demo residents (whole families, so a few more).")
@click.option("--seed", "seed", type=int, default=1, show_default=True,
              help="The same seed always gives the same people.")
@click.option("--photos/--no-photos", default=True, show_default=True,
              help="Draw a synthetic photo and signature for each resident.")
def seed_command(count: int, seed: int, photos: bool) -> None:
    """Add reproducible demo residents of Kabupaten Sragen, and its offices."""
    from ..demo.seed import seed_residents

    with progress("seeding", count) as advance:
        report = seed_residents(db(), actor(), count, seed=seed, photos=photos, progress=advance)
    click.echo(f"seeded {report.residents} residents in {report.families} families"
               f" ({report.photos} photos)")


commands = [init_command, offices_group, seed_command]
