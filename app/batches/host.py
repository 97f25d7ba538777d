"""Is a worker's process still there? Only answerable for processes on this machine; a worker
on another machine is judged by its heartbeat alone."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from registry.batch_leases import Holder


def _started(pid: int) -> str | None:
    """The process's start time (clock ticks since boot), which a reused pid does not share;
    None when there is no such live process (a zombie counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return "?"
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else fields[19]


def this_process() -> Holder:
    return Holder(socket.gethostname(), os.getpid(), _started(os.getpid()))


def gone(host: str, pid: int, started: str | None) -> bool:
    if host != socket.gethostname():
        return False
    if not Path("/proc").is_dir():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    now = _started(pid)
    return now is None or (started is not None and now not in (started, "?"))
