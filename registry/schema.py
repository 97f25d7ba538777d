"""Create or upgrade the schema with Alembic, from code and without Flask."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .db import Database


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "registry:migrations")
    return cfg


def upgrade(db: Database, revision: str = "heads") -> None:
    """Bring the schema to ``revision`` (default: every head); a no-op when already there."""
    cfg = _config()
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_revision(db: Database) -> str | None:
    """The revision(s) the database is at, joined by '+' when there are several heads."""
    with db.engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return "+".join(sorted(heads)) or None


def head_revision() -> str | None:
    return "+".join(sorted(ScriptDirectory.from_config(_config()).get_heads())) or None


def is_current(db: Database) -> bool:
    return current_revision(db) == head_revision()
