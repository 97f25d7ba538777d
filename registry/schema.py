"""Create or upgrade the schema with Alembic, from code and without Flask.

Alembic is imported when a function here runs, not with the module: every `ktp` process loads
this module through the CLI, and a batch worker, which never migrates, saves its ~8 MB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .db import Database

if TYPE_CHECKING:
    from alembic.config import Config


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "registry:migrations")
    return cfg


def upgrade(db: Database, revision: str = "heads") -> None:
    """Bring the schema to ``revision`` (default: every head); a no-op when already there."""
    from alembic import command

    cfg = _config()
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_revision(db: Database) -> str | None:
    """The revision(s) the database is at, joined by '+' when there are several heads."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return "+".join(sorted(heads)) or None


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return "+".join(sorted(ScriptDirectory.from_config(_config()).get_heads())) or None


def is_current(db: Database) -> bool:
    return current_revision(db) == head_revision()
