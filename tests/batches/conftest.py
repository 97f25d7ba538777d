"""An app on a fresh database with offices, clerks, residents who can get a card, blank stock,
and printers: in-process virtual printers for quick tests, TCP virtual printers in their own
processes for the crash tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

import printing
from app.auth.passwords import hash_password
from app.database import db as app_db
from registry import images, offices, printers, residents, stock, users
from registry.audit import SYSTEM, Actor
from registry.db import Database
from tests.app.conftest import PASSWORD, Clerk, make_app
from tests.printing.samples import BLUE, handwriting, portrait
from tests.registry.factories import resident_fields

SUPERVISOR = Actor("supervisor", office_code="33.14")
CLERKS = (("admin", "admin", "33.14"), ("kpt", "operator", "33.14"),
          ("supervisor", "supervisor", "33.14"), ("kecamatan", "supervisor", "33.14.10"),
          ("jakarta", "supervisor", "31.71"))
SINE = "33.14.10.1001"  # a desa of Kecamatan Sragen (33.14.10)
NGLOROG = "33.14.10.1002"


@pytest.fixture(scope="session")
def card_images() -> dict[str, tuple[bytes, str, int, int]]:
    """A prepared photo and signature, shared by every resident (preparing is slow)."""
    photo = printing.prepare_photo(portrait(BLUE), tanggal_lahir=dt.date(1980, 1, 1),
                                   layout=printing.layout_for("WNI"))
    signature = printing.prepare_signature(handwriting(), layout=printing.layout_for("WNI"))
    width, height = printing.get_layout(printing.layout_for("WNI")).signature.pixels()
    return {"photo": (photo.jpeg, "image/jpeg", *photo.size),
            "signature": (signature, "image/png", width, height)}


@dataclass
class Town:
    """A registry to make batches in: ``people`` registers residents of a desa."""

    db: Database
    images: dict[str, tuple[bytes, str, int, int]]
    root: object
    made: int = 0

    def people(self, count: int, desa: str = SINE, *, photo: bool = True,
               signature: bool = True, **fields) -> list[str]:
        niks = []
        with self.db.write() as session:
            for _ in range(count):
                self.made += 1
                born = dt.date(1960, 1, 1) + dt.timedelta(days=self.made * 37)
                resident = residents.register(session, SUPERVISOR, resident_fields(
                    **{"nama": f"WARGA {_letters(self.made)}", "tanggal_lahir": born,
                       "desa_code": desa, **fields}))
                for kind, wanted in (("photo", photo), ("signature", signature)):
                    if wanted:
                        data, media, width, height = self.images[kind]
                        images.store(session, SUPERVISOR, resident, kind, data,
                                     media_type=media, width=width, height=height)
                niks.append(resident.nik)
        return niks

    def blanks(self, count: int, office: str = "33.14") -> None:
        with self.db.write() as session:
            stock.receive(session, SUPERVISOR, office, count)

    def printer(self, name: str, uri: str | None = None, office: str | None = "33.14",
                **options) -> str:
        query = "&".join(f"{k}={v}" for k, v in options.items())
        with self.db.write() as session:
            printers.add(session, SUPERVISOR, name, uri or f"virtual://{name}?{query}", office)
        return name

    def balance(self, office: str = "33.14") -> tuple[int, int]:
        with self.db.read() as session:
            b = stock.balance(session, office)
            return b.on_hand, b.reserved


def _letters(n: int) -> str:
    """Distinct names without digits: 1 -> A, 27 -> AA ..."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


@pytest.fixture
def app(db_url, tmp_path):
    app = make_app(db_url, tmp_path)
    app.instance_path = str(tmp_path / "instance")
    with app.app_context(), app_db().write() as session:
        for code in ("33.14", "33.14.10", "33.14.01", "31.71"):
            offices.add(session, SYSTEM, code)
        password_hash = hash_password(PASSWORD)
        for name, role, office in CLERKS:
            users.create(session, SYSTEM, name, role=role, office_code=office,
                         password_hash=password_hash)
    yield app
    app.extensions["ktp.db"].dispose()


@pytest.fixture
def town(app, card_images, tmp_path):
    """No app context stays open: requests of the test client must each get their own."""
    with app.app_context():
        database = app_db()
    return Town(database, card_images, tmp_path)


@pytest.fixture
def clerks(app) -> dict[str, Clerk]:
    with app.app_context(), app_db().write() as session:
        return {name: Clerk(name, users.create_token(session, SYSTEM, users.get(session, name),
                                                     "tests"))
                for name, _, _ in CLERKS}
