"""One virtual printer per output folder, whichever processes drive it.

A ``virtual://`` printer lives inside each process that uses it (the web server, a worker, a
`ktp print`), so two processes on one folder would otherwise be two printers sharing one log:
the same card number twice, one state file overwriting the other. Its counters are the
exactly-once witness, so the folder *is* the printer: every change of its state (a job, a
fault, cards loaded) happens under an exclusive ``flock`` on ``printer.lock`` with the state
reloaded from ``printer-state.json`` first and written back after (atomically, by rename), and
a job holds the lock from taking the blank to putting the card out, as one mechanism does.
Readers (status queries) need no lock: they reread the file, which is replaced whole.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STATE_FILE, LOCK_FILE = "printer-state.json", "printer.lock"
DEFAULT_CARDS, DEFAULT_RIBBON, DEFAULT_RIBBON_TYPE = 100, 500, "ymcko"
SHARED = {"cards_inserted": 0, "panels_printed": 0, "cards_in_feeder": DEFAULT_CARDS,
          "ribbon_remaining": DEFAULT_RIBBON, "ribbon_type": DEFAULT_RIBBON_TYPE,
          "card_inside": False, "printing": False}
"""The printer's state kept in the folder (besides its faults), with a new printer's values."""


def shared(key: str) -> property:
    """A printer attribute kept in ``SHARED``: setting it from outside is a change of state
    (the printer's ``_changing``)."""

    def get(printer: Any) -> Any:
        return printer._s[key]

    def set_(printer: Any, value: Any) -> None:
        with printer._changing():
            printer._s[key] = value

    return property(get, set_)


def default_serial(name: str, folder: Path | None) -> str:
    """Stable for one printer, different for another: from its output folder (which is the
    printer, whatever it is called and whichever port it listens on), else from its name."""
    identity = f"folder:{folder.resolve()}" if folder is not None else f"name:{name}"
    return f"VIRT{zlib.crc32(identity.encode()) % 10**6:06d}"


class SharedState:
    """``printer-state.json`` and its lock in ``folder``.

    The lock is reentrant within this object (a job holds it while its steps change the
    state) and exclusive between objects, also between two in one process (``flock`` locks
    belong to an open file, not a process)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_FILE
        self._lock_path = folder / LOCK_FILE
        self._fd: int | None = None
        self._depth = 0
        self._guard = threading.Lock()

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._guard:
            if self._depth == 0:
                self._fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            self._depth += 1
        try:
            yield
        finally:
            with self._guard:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None

    def busy_elsewhere(self) -> bool:
        """True while another object or process holds the lock (a job in its mechanism)."""
        if self._depth:
            return False
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing releases a lock taken here
        return False

    def load(self) -> dict[str, Any] | None:
        """The state as saved, or None when there is none yet. Read every time: a change
        stamp (inode, mtime, size) would miss two same-sized writes within one clock tick."""
        try:
            state = json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return None
        return state if isinstance(state, dict) else None

    def save(self, state: dict[str, Any]) -> None:
        temporary = self.path.with_name(f".{STATE_FILE}.{os.getpid()}.{id(self)}")
        temporary.write_text(json.dumps(state, sort_keys=True))
        os.replace(temporary, self.path)


class FolderState:
    """The state of a virtual printer, kept in its folder (``folder`` None: in memory only).

    ``cards_inserted`` ... ``printing`` read from memory; ``_changing()`` is how anything
    changes them (setting one from outside is a change too): under the folder's lock, from the
    state just read, saved after. ``_sync()`` rereads it before the printer answers."""

    cards_inserted = shared("cards_inserted")
    panels_printed = shared("panels_printed")
    cards_in_feeder = shared("cards_in_feeder")
    ribbon_remaining = shared("ribbon_remaining")
    ribbon_type = shared("ribbon_type")
    card_inside = shared("card_inside")
    printing = shared("printing")

    def __init__(self, folder: Path | None) -> None:
        self._shared = SharedState(folder) if folder is not None else None
        self._s: dict[str, Any] = dict(SHARED)
        self.conditions: set[str] = set()
        self._lock = threading.RLock()
        self._changes = 0
        self._running = False  # a card of this object is in the mechanism

    def _state(self) -> dict[str, Any]:
        return {**self._s, "conditions": sorted(self.conditions)}

    def _apply(self, state: dict[str, Any] | None) -> None:
        if not state:
            return
        for key, default in SHARED.items():
            if key in state:
                self._s[key] = type(default)(state[key])
        if "conditions" in state:
            self.conditions = set(state["conditions"])

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """A change of state: under the folder's lock, from its latest state, saved after.
        Changes within a change are part of it."""
        with self._lock:
            if self._shared is None or self._changes:
                with self._within():
                    yield
                return
            with self._shared.held():
                self._apply(self._shared.load())
                with self._within():
                    yield
                self._shared.save(self._state())

    @contextmanager
    def _within(self) -> Iterator[None]:
        self._changes += 1
        try:
            yield
        finally:
            self._changes -= 1

    def _sync(self) -> None:
        """Before answering: what other processes did to this printer. A card left
        ``printing`` by a process that no longer runs its job was cut off by a power cut."""
        if self._shared is None:
            return
        self._apply(self._shared.load())
        if self.printing and not self._running and not self._shared.busy_elsewhere():
            with self._changing():
                if self.printing:
                    self.printing, self.card_inside = False, True
                    self.conditions.add("jam")
