"""Fixtures for the evaluation: the app with offices and clerks (as tests/app has them, plus a
supervisor of a kecamatan office), signed-in clients that send the CSRF token like a browser,
a way to hand a card over through the counter's path and get its survey code, tests/e2e's live
server, and chromium for the kiosk."""

from __future__ import annotations

import datetime as dt
import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from app import evaluation
from app.auth.passwords import hash_password
from app.database import db as app_db
from app.evaluation import settings
from registry import applications, offices, residents, survey, users
from registry.audit import SYSTEM, Actor
from tests.app import conftest as api_fixtures
from tests.e2e.live import CHROMIUM, launch_chromium
from tests.registry.factories import printed_application, resident_fields

from . import world
from .world import utc

PASSWORD = api_fixtures.PASSWORD
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')
OPERATOR = Actor("kpt", office_code="33.14", role="operator")
SUPERVISOR = Actor("supervisor", office_code="33.14", role="supervisor")


@pytest.fixture
def app(db_url, tmp_path):
    """tests/app's app (offices 33.14, 33.14.10, 33.14.01, 31.71 and their clerks), CSRF on,
    and ``lurah``, a supervisor of the kecamatan office 33.14.10."""
    app = api_fixtures.make_app(db_url, tmp_path)
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context(), app_db().write() as session:
        password_hash = hash_password(PASSWORD)
        for code in ("33.14", "33.14.10", "33.14.01", "31.71"):
            offices.add(session, SYSTEM, code)
        for name, role, office in (("admin", "admin", "33.14"), ("kpt", "operator", "33.14"),
                                   ("sragen", "operator", "33.14.10"),
                                   ("supervisor", "supervisor", "33.14"),
                                   ("lurah", "supervisor", "33.14.10"),
                                   ("jakarta", "supervisor", "31.71")):
            users.create(session, SYSTEM, name, role=role, office_code=office,
                         password_hash=password_hash)
    yield app
    app.extensions["ktp.db"].dispose()


class Client:
    """A signed-in browser: cookies kept, the page's CSRF token sent with every form."""

    def __init__(self, app, username: str | None = None) -> None:
        self.app, self.http, self.token = app, app.test_client(), None
        if username:
            self.get("/login")
            response = self.post("/login", {"username": username, "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)[:300]

    def get(self, url: str, **kwargs):
        response = self.http.get(url, **kwargs)
        if response.mimetype == "text/html":
            found = TOKEN.search(response.get_data(as_text=True))
            if found:
                self.token = found.group(1) or found.group(2)
        return response

    def post(self, url: str, data: dict | None = None, **kwargs):
        body = {"csrf_token": self.token, **(data or {})}
        return self.http.post(url, data=body, **kwargs)


@pytest.fixture
def client_of(app):
    return lambda username=None: Client(app, username)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def database(app):
    with app.app_context():
        return app_db()


@pytest.fixture
def hand_over(app, database):
    """Hand a new resident's card over at ``office`` and return the survey code the counter
    would show (through `app.evaluation.on_handover`)."""
    count = iter(range(1, 1000))

    def run(office: str = "33.14") -> str:
        name = "WARGA " + "ABCDEFGHIJ"[next(count) % 10] * 3
        with app.app_context(), database.write() as s:
            resident = residents.register(s, OPERATOR, resident_fields(nama=name),
                                          confirm_duplicate=True)
            application, _ = printed_application(s, OPERATOR, SUPERVISOR, resident, office)
            card = applications.hand_over(s, OPERATOR, application, "sendiri")
            return evaluation.on_handover(s, OPERATOR, card)

    return run


FORMS = {"33.14": [(4,) * 9, (3,) * 9, (3, 4, 2, 4, 3, 3, 4, 2, 3)], "33.14.10": [(2,) * 9]}


@pytest.fixture
def march(app, database):
    """Paper forms of March 2026 (all answered, 20 March) and five cards handed over:

        KPT 33.14: 4 4 4 4 4 4 4 4 4 / 3 3 3 3 3 3 3 3 3 / 3 4 2 4 3 3 4 2 3
            -> Σ NRR = 91/3, score 2275/27 = 84.26 (B)
        Sragen 33.14.10: 2 2 2 2 2 2 2 2 2 -> 50.00 (D)
        Both: every element answered 4 times, all scores sum to 109,
            Σ NRR = 109/4, index 109/36 = 3.0278, score 2725/36 = 75.694… -> 75.69 (C)

    Cards: three handed over at the KPT (waits of 2 days), two at Sragen (2 days).
    """
    with app.app_context():
        key = settings.survey_key()
    with database.write() as s:
        for n in range(3):
            a = world.application(s, "33.14", utc(2026, 3, 2 + n))
            world.card(s, "33.14", utc(2026, 3, 3 + n), utc(2026, 3, 4 + n), of=a)
        for n in range(2):
            a = world.application(s, "33.14.10", utc(2026, 3, 10 + n))
            world.card(s, "33.14.10", utc(2026, 3, 11 + n), utc(2026, 3, 12 + n), of=a)
        for office, forms in FORMS.items():
            for n, scores in enumerate(forms):
                survey.enter_paper(s, OPERATOR, office_code=office, day=dt.date(2026, 3, 20),
                                   serial=f"F-{n}", answers=survey.Answers(scores), key=key,
                                   today=dt.date(2026, 3, 31))
    return database


class ChromiumThread:
    """Chromium driven from a thread of its own. Playwright's sync API belongs to the thread
    that started it, and the `browser` fixture keeps its own in the main thread of the same test
    process: a second one there would refuse to start."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self.playwright = self.browser = None
        self._pool.submit(self._start).result()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = launch_chromium(self.playwright)

    def call(self, fn, *args):
        """Run ``fn(browser, *args)`` in the browser's thread; its result or its exception."""
        return self._pool.submit(fn, self.browser, *args).result()

    def close(self) -> None:
        self._pool.submit(lambda: (self.browser.close(), self.playwright.stop())).result()
        self._pool.shutdown()


@pytest.fixture(scope="session")
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it)")
    driver = ChromiumThread()
    yield driver
    driver.close()
