"""The counter pages through Flask's test client, with CSRF switched on as in production.

`web.clerk(name)` is a signed-in browser-like client that sends the page's CSRF token with
every form; `web.seed_application(...)` makes an application in any state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from app.database import db as app_db
from registry import applications, audit_log, printers, regions, residents, stock
from registry.audit import Actor
from registry.models import AuditEntry
from tests.app import conftest as api_fixtures
from tests.printing.samples import BLUE, RED, handwriting, portrait
from tests.registry.factories import resident_fields

# The API tests' fixtures: an app on a fresh database (SQLite, and PostgreSQL when configured)
# with offices and clerks, their API tokens, and virtual printers forgotten after each test.
app, clerks = api_fixtures.app, api_fixtures.clerks
PASSWORD = api_fixtures.PASSWORD
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
ROLES = {"admin": ("admin", "33.14"), "kpt": ("operator", "33.14"),
         "sragen": ("operator", "33.14.10"), "kalijambe": ("operator", "33.14.01"),
         "supervisor": ("supervisor", "33.14"), "jakarta": ("operator", "31.71")}


class Clerk:
    """A signed-in browser: cookies kept, the CSRF token of the last page sent with forms."""

    def __init__(self, app, username: str | None = None, password: str = PASSWORD,
                 lang: str = "en") -> None:
        self.app, self.client, self.token = app, app.test_client(), None
        self.get(f"/login?lang={lang}")
        if username:
            response = self.login(username, password)
            assert response.status_code == 302, response.get_data(as_text=True)[:500]

    def get(self, url: str, **kwargs):
        response = self.client.get(url, **kwargs)
        found = TOKEN.search(response.get_data(as_text=True)) if response.mimetype == "text/html" \
            else None
        if found:
            self.token = found.group(1)
        return response

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        if csrf and self.token is None:
            self.get("/login")
        body = dict(data or {})
        if csrf:
            body.setdefault("csrf_token", self.token)
        return self.client.post(url, data=body, **kwargs)

    def login(self, username: str, password: str = PASSWORD, **environ):
        self.get("/login")
        response = self.post("/login", {"username": username, "password": password},
                             environ_base=environ or {})
        if response.status_code == 302:
            self.get("/")  # the session was renewed at sign-in: take its CSRF token
        return response

    def page(self, url: str) -> str:
        response = self.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)

    def main(self, url: str) -> str:
        """The page's own content, without the header, menu and footer every page has."""
        page = self.page(url)
        return page[page.index("<main"):page.index("</main>")]


def actor(username: str) -> Actor:
    role, office = ROLES[username]
    return Actor(username, office_code=office, role=role)


@dataclass
class Web:
    app: object

    @property
    def db(self):
        with self.app.app_context():
            return app_db()

    def clerk(self, username: str | None = None, lang: str = "en") -> Clerk:
        """A browser signed in as ``username`` (None: signed out), pages in ``lang``."""
        return Clerk(self.app, username, lang=lang)

    def resident(self, **fields) -> str:
        with self.db.write() as session:
            return residents.register(session, actor("kpt"), resident_fields(**fields),
                                      confirm_duplicate=True).nik

    def seed_application(self, nik: str, *, photo: bool = True, verify: bool = False,
                         by: str = "kpt", **evidence) -> int:
        """An application for ``nik`` taken by ``by``, with photo and signature, verified by
        the supervisor when asked."""
        from app import photos

        with self.app.app_context(), self.db.write() as session:
            resident = residents.get(session, nik)
            application = applications.submit(session, actor(by), resident, ROLES[by][1],
                                              **evidence)
            if photo:
                colour = RED if resident.tanggal_lahir.year % 2 else BLUE
                for kind, data in (("photo", portrait(colour)), ("signature", handwriting())):
                    stored = photos.store(session, actor(by), resident, kind, data)
                    applications.attach_image(session, actor(by), application, kind, stored.id)
            if verify:
                applications.verify(session, actor("supervisor"), application)
            return application.id

    def state(self, application_id: int) -> str:
        with self.db.read() as session:
            return applications.get(session, application_id).state

    def audit(self, action: str, **where) -> list[AuditEntry]:
        with self.db.read() as session:
            return audit_log.page(session, audit_log.AuditFilter(action=action, **where),
                                  limit=200)

    def balance(self, office: str = "33.14") -> tuple[int, int]:
        with self.db.read() as session:
            b = stock.balance(session, office)
            return b.on_hand, b.reserved


@pytest.fixture(autouse=True)
def _forget_region_indexes():
    """`registry.regions` keeps one region index (~18 MB) per database URL for the life of the
    process; every test here has its own database, so forget them or a test worker runs out
    of memory after a few hundred tests."""
    yield
    regions._cache.clear()


@pytest.fixture
def web(app, tmp_path) -> Web:
    """The app with CSRF on, a virtual printer ``p1`` at 33.14 and 20 blank cards there."""
    app.config["WTF_CSRF_ENABLED"] = True
    app.instance_path = str(tmp_path)
    with app.app_context(), app_db().write() as session:
        printers.add(session, actor("admin"), "p1", "virtual://p1?cards=100", "33.14")
        stock.receive(session, actor("admin"), "33.14", 20, reference="test delivery")
    return Web(app)
