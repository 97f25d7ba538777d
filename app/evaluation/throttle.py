"""Slows down guessing at the public kiosk: too many wrong codes from one address within a
window lock that address out for the rest of the window.

Kept in memory, per process: enough for the tablet at the counter and for Waitress (one
process, many threads); a multi-process deployment would need a shared store.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class Throttle:
    def __init__(self, max_failures: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures, self.window, self.clock = max_failures, window_seconds, clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _forget_old(self, address: str, now: float) -> deque[float]:
        times = self._failures[address]
        while times and now - times[0] >= self.window:
            times.popleft()
        return times

    def wait_seconds(self, address: str) -> int:
        """How long ``address`` must wait before trying again (0: it may try now)."""
        with self._lock:
            now = self.clock()
            times = self._forget_old(address, now)
            if len(times) < self.max_failures:
                return 0
            return max(1, int(self.window - (now - times[0])) + 1)

    def failed(self, address: str) -> None:
        with self._lock:
            now = self.clock()
            self._forget_old(address, now).append(now)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)
