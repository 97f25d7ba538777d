"""A real HTTP server for browser tests and the screenshot script.

`LiveServer.start` builds the app on a fresh database, adds offices, clerks, a zero-print-time
virtual printer with blank cards, and serves it with Waitress on a free port in a background
thread of the test process, so a test can both drive the browser and read or seed the database
through ``server.db`` / ``server.app``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session
from waitress.server import create_server
from waitress.wasyncore import close_all

from app import create_app
from app.auth.passwords import hash_password
from app.database import db as app_db
from registry import offices, printers, residents, stock, users
from registry.audit import SYSTEM, Actor
from registry.db import Database

PASSWORD = "rahasia-123"
# username: (role, office). The same clerks as tests/app/conftest.py, so tests read alike.
CLERKS = {
    "admin": ("admin", "33.14"),
    "kpt": ("operator", "33.14"),
    "sragen": ("operator", "33.14.10"),
    "kalijambe": ("operator", "33.14.01"),
    "supervisor": ("supervisor", "33.14"),
    "jakarta": ("operator", "31.71"),
}
OFFICES = ("33.14", "33.14.10", "33.14.01", "31.71")
PRINTER = "counter-1"
BLANKS = 50

# Debian's chromium, never a downloaded browser (scripts/ensure-system-deps installs it).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@dataclass
class LiveServer:
    """The running app: ``url`` to browse, ``db`` and ``app`` to seed and check."""

    url: str
    app: Flask
    db: Database
    instance: Path
    clerks: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(CLERKS))
    printer: str = PRINTER
    _server: Any = None
    _thread: threading.Thread | None = None

    @classmethod
    def start(cls, db_url: str, instance: Path, config: dict[str, Any] | None = None,
              *, print_seconds: float = 0.0, blanks: int = BLANKS) -> LiveServer:
        """Serve a new app on ``db_url`` (a migrated database with regions loaded)."""
        instance.mkdir(parents=True, exist_ok=True)
        settings = {"DATABASE_URL": db_url, "SECRET_KEY": "e2e-secret", "TESTING": False,
                    "WTF_CSRF_ENABLED": True, "PHOTO_MAX_BYTES": 5_000_000, **(config or {})}
        app = create_app(settings)
        app.instance_path = str(instance)
        with app.app_context():
            database = app_db()
        server = cls("", app, database, instance)
        server._seed(print_seconds, blanks)
        server._serve()
        return server

    def _seed(self, print_seconds: float, blanks: int) -> None:
        password_hash = hash_password(PASSWORD)
        with self.db.write() as session:
            for code in OFFICES:
                offices.ensure(session, SYSTEM, code)
            for name, (role, office) in self.clerks.items():
                users.create(session, SYSTEM, name, role=role, office_code=office,
                             password_hash=password_hash, full_name=name.title())
            printers.add(session, SYSTEM, self.printer,
                         f"virtual://{self.printer}?print_seconds={print_seconds}&cards=500",
                         "33.14")
            if blanks:
                stock.receive(session, SYSTEM, "33.14", blanks, reference="e2e delivery")

    def _serve(self) -> None:
        self._server = create_server(self.app, host="127.0.0.1", port=0, threads=6,
                                     ident="ktp-e2e")
        self.url = f"http://127.0.0.1:{self._server.effective_port}"
        self._thread = threading.Thread(target=self._server.run, name="live-server",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        from drivers.virtual import registry

        if self._server is not None:
            # Closed by the serving thread itself (waitress's trigger runs the call there), so
            # its select never waits on a descriptor closed under it; with nothing left to
            # serve, its loop ends.
            sockets = self._server._map
            self._server.trigger.pull_trigger(lambda: close_all(sockets))
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._server is not None:
            self._server.task_dispatcher.shutdown()
        for name in registry.names():
            registry.unregister(name)
        self.db.dispose()

    # helpers for tests

    def path(self, path: str) -> str:
        return self.url + path

    @contextmanager
    def write(self, *, durable: bool = False) -> Iterator[Session]:
        """A write transaction on the server's database, in its app context."""
        with self.app.app_context(), self.db.write(durable=durable) as session:
            yield session

    def actor(self, username: str) -> Actor:
        role, office = self.clerks[username]
        return Actor(username, office_code=office, role=role)

    def resident(self, **fields: Any) -> str:
        """Register a resident (defaults: tests.registry.factories) and return the NIK."""
        from tests.registry.factories import resident_fields

        with self.write() as session:
            return residents.register(session, self.actor("kpt"), resident_fields(**fields),
                                      confirm_duplicate=True).nik

    def printer_device(self, name: str | None = None) -> Any:
        """The in-process virtual printer behind ``name`` (default: the counter's), e.g. to
        load cards, inject a fault or slow it down: ``device.print_seconds = 5``."""
        from app.printers import open_printer
        from drivers.virtual import registry

        name = name or self.printer
        with self.app.app_context(), self.db.read() as session:
            uri = printers.get(session, name).uri
            with open_printer(uri):
                pass
        return registry.get(name)

    def login(self, page: Any, username: str, password: str = PASSWORD) -> None:
        """Sign in through the login form, as a clerk would (Indonesian or English page)."""
        page.goto(self.path("/login"))
        page.locator("#username").fill(username)
        page.locator("#password").fill(password)
        page.locator("#password").press("Enter")
        page.wait_for_url(lambda url: "/login" not in url)

    def logout(self, page: Any) -> None:
        page.locator("form[action$='/logout'] button").click()
        page.wait_for_url(lambda url: "/login" in url)


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_ARGS)
