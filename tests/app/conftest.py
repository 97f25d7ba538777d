"""An app on a fresh database, with clerks of two offices and their API tokens."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app import create_app
from app.auth.passwords import hash_password
from app.database import db as app_db
from registry import offices, users
from registry.audit import SYSTEM

PASSWORD = "rahasia-123"


@dataclass
class Clerk:
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_app(db_url: str, tmp_path):
    return create_app({"DATABASE_URL": db_url, "SECRET_KEY": "test-secret", "TESTING": True,
                       "WTF_CSRF_ENABLED": False, "PHOTO_MAX_BYTES": 2_000_000})


@pytest.fixture
def app(db_url, tmp_path):
    app = make_app(db_url, tmp_path)
    with app.app_context():
        database = app_db()
        password_hash = hash_password(PASSWORD)
        with database.write() as session:
            for code in ("33.14", "33.14.10", "33.14.01", "31.71"):
                offices.add(session, SYSTEM, code)
            for name, role, office in (
                ("admin", "admin", "33.14"),
                ("kpt", "operator", "33.14"),
                ("sragen", "operator", "33.14.10"),
                ("kalijambe", "operator", "33.14.01"),
                ("supervisor", "supervisor", "33.14"),
                ("jakarta", "operator", "31.71"),
            ):
                users.create(session, SYSTEM, name, role=role, office_code=office,
                             password_hash=password_hash)
    yield app
    app.extensions["ktp.db"].dispose()


@pytest.fixture
def clerks(app) -> dict[str, Clerk]:
    out = {}
    with app.app_context(), app_db().write() as session:
        for name in ("admin", "kpt", "sragen", "kalijambe", "supervisor", "jakarta"):
            out[name] = Clerk(name, users.create_token(session, SYSTEM,
                                                       users.get(session, name), "tests"))
    return out
