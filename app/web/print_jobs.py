"""Counter prints run beside the request: a card takes seconds to print (15 s on the demo's
virtual printer), and the page follows it by polling instead of hanging.

`app.issuance.print_for` does the work (a blank reserved, the attempt recorded, the card printed
exactly once); this module only runs it on a small thread pool, in the app context, and
remembers per application whether a print is running here and how the last one ended. What a
print did to the registry is always read back from the database, never from here.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from flask import Flask, current_app

from registry.audit import Actor
from registry.errors import RegistryError

from .. import issuance
from ..database import db

log = logging.getLogger(__name__)
WORKERS = 4  # prints at once per server process (a counter rarely has more printers)
_create_lock = threading.Lock()  # guards the per-app PrintJobs
_pool_lock = threading.Lock()  # guards the pool (a separate lock: PrintJobs() takes it)
_pool: ThreadPoolExecutor | None = None


def _shared_pool() -> ThreadPoolExecutor:
    """One pool per process, whatever number of apps (tests build many) share it."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="counter-print")
        return _pool


@dataclass
class Job:
    future: Future
    error: str | None = None


class PrintJobs:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.pool = _shared_pool()
        self.jobs: dict[int, Job] = {}
        self.lock = threading.Lock()

    def start(self, actor: Actor, application_id: int, nik: str, printer: str,
              office_code: str) -> bool:
        """Queue the print; False when one is already running for this application."""
        with self.lock:
            if self.running(application_id):
                return False
            future = self.pool.submit(self._print, actor, application_id, nik, printer,
                                      office_code)
            self.jobs[application_id] = Job(future)
        return True

    def _print(self, actor: Actor, application_id: int, nik: str, printer: str,
               office_code: str) -> issuance.Outcome | None:
        with self.app.app_context():
            try:
                return issuance.print_for(db(), actor, "application", application_id, nik,
                                          printer, office_code)
            except RegistryError as exc:
                self._failed(application_id, str(exc))
            except Exception as exc:  # reported to the clerk; the traceback goes to the log
                log.exception("counter print of application %s failed", application_id)
                self._failed(application_id, f"{type(exc).__name__}: {exc}")
        return None

    def _failed(self, application_id: int, message: str) -> None:
        with self.lock:
            job = self.jobs.get(application_id)
            if job is not None:
                job.error = message

    def running(self, application_id: int) -> bool:
        job = self.jobs.get(application_id)
        return job is not None and not job.future.done()

    def error(self, application_id: int) -> str | None:
        """Why the last print here never reached the printer (e.g. the stock ran out)."""
        job = self.jobs.get(application_id)
        return job.error if job is not None and job.future.done() else None

    def known(self, application_id: int) -> bool:
        return application_id in self.jobs

    def wait(self, application_id: int, timeout: float = 30.0) -> None:
        """Block until the print of ``application_id`` ends (tests and the CLI)."""
        job = self.jobs.get(application_id)
        if job is not None:
            job.future.result(timeout=timeout)


def jobs() -> PrintJobs:
    """The print jobs of the current app (one pool per app, made on first use)."""
    extensions = current_app.extensions
    if "ktp.web.print_jobs" not in extensions:
        with _create_lock:
            if "ktp.web.print_jobs" not in extensions:
                extensions["ktp.web.print_jobs"] = PrintJobs(current_app._get_current_object())
    return extensions["ktp.web.print_jobs"]
