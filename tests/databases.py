"""Fresh, migrated databases with the region list loaded, one per test, on SQLite and PostgreSQL.

Migrating and loading 91,599 region codes takes seconds, so it happens once per test session
into a template; each test then gets a copy (a file copy on SQLite, ``CREATE DATABASE …
TEMPLATE`` on PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from registry import regions, schema
from registry.db import Database

POSTGRES_URL = os.environ.get("KTP_TEST_POSTGRES_URL", "")


def build(url: str) -> None:
    db = Database(url)
    schema.upgrade(db)
    with db.write() as session:
        regions.load(session)
    db.dispose()


class SqliteTemplates:
    def __init__(self, root: Path) -> None:
        self.template = root / "template.sqlite"
        build(f"sqlite:///{self.template}")

    def fresh(self, directory: Path) -> str:
        target = directory / "ktp.sqlite"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def close(self) -> None:
        pass


class PostgresTemplates:
    def __init__(self, base_url: str) -> None:
        self.base = make_url(base_url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.prefix = f"ktp_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"
        self.created: list[str] = []
        self._create(self.template)
        build(self._url(self.template))

    def _url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None, options: str = "") -> None:
        suffix = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}{suffix} {options}"))
        self.created.append(name)

    def built_with(self, options: str) -> str:
        """A new database made with ``options`` of ``CREATE DATABASE`` (a locale, say),
        migrated and with the regions loaded: slower than `fresh`."""
        name = f"{self.prefix}_{len(self.created)}"
        self._create(name, "template0", options)
        url = self._url(name)
        build(url)
        return url

    def fresh(self, _directory: Path) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        self._create(name, self.template)
        return self._url(name)

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        self.admin.dispose()
