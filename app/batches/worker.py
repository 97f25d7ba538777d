"""`ktp worker`: a process driving one or more printers, one thread each, with a heartbeat
that keeps their leases. SIGTERM or Ctrl-C stops it after the cards in hand."""

from __future__ import annotations

import ctypes
import getpass
import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from flask import Flask

from registry import batch_leases
from registry.audit import Actor
from registry.models import Printer

from ..database import db
from . import host
from .printer_loop import Options, PrinterLoop

log = logging.getLogger("ktp.worker")


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8  # glibc mallopt parameters
BIG = 256 * 1024  # bytes: an allocation this large gets its own mapping


def keep_memory_flat(arenas: int = 2) -> None:
    """Each card is drawn in a few large, short-lived bitmaps. glibc gives every thread its own
    malloc arena (up to 8 per core), where freed bitmaps scatter and the resident size creeps
    up over a long batch; a couple of shared arenas keep it flat. glibc also raises its mmap
    threshold to the largest block freed, so after the first card every bitmap lands in the
    heap and its pages stay resident (about 5 MB); a fixed threshold hands them back to the
    system when freed. No-op off glibc."""
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, arenas)
        libc.mallopt(M_MMAP_THRESHOLD, BIG)
        libc.mallopt(M_TRIM_THRESHOLD, 2 * BIG)


def worker_actor(holder: batch_leases.Holder) -> Actor:
    """Cards printed by a worker name the worker (and the user who started it)."""
    try:
        user = getpass.getuser()
    except OSError:
        user = "unknown"
    return Actor(f"worker:{user}@{holder.host}"[:80])


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and Ctrl-C stop the worker gently (only the main thread can catch signals; a
    worker run from another thread is stopped through ``Worker.stop``)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, _frame: object) -> None:
        log.info("signal %s: stopping after the cards in hand", signum)
        stop.set()

    previous = {s: signal.signal(s, handle) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


class Worker:
    def __init__(self, app: Flask, printers: list[str], options: Options) -> None:
        self.app, self.options = app, options
        self.stop = threading.Event()
        self.holder = host.this_process()
        actor = worker_actor(self.holder)
        self.loops = [PrinterLoop(app, name, options, self.stop, self.holder, actor)
                      for name in dict.fromkeys(printers)]

    def run(self) -> None:
        """Until every printer's loop ends (--exit-when-idle) or a signal stops them."""
        beat = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        with _stopping_on_signals(self.stop):
            for loop in self.loops:
                loop.start()
            beat.start()
            while any(loop.is_alive() for loop in self.loops):
                for loop in self.loops:
                    loop.join(timeout=0.2)
        self.stop.set()

    def _heartbeat(self) -> None:
        """Renew every lease this process holds: a loop whose lease was taken over, or whose
        printer was taken out of use (disabled), stops taking cards."""
        interval = self.options.settings.lease_seconds / 4
        with self.app.app_context():
            database = db()
            while not self.stop.wait(interval):
                for loop in self.loops:
                    token = loop.token
                    if token is None:
                        continue
                    try:
                        with database.write() as session:
                            alive = batch_leases.heartbeat(session, loop.printer_id, token)
                            enabled = session.get(Printer, loop.printer_id).enabled
                    except Exception:
                        log.exception("heartbeat of printer %s failed", loop.printer)
                        continue
                    if not alive and loop.token == token:
                        loop.lost.set()
                    if not enabled:
                        loop.disabled.set()
