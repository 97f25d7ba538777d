"""Virtual printers and workers as separate processes, as they run in an office: `ktp
virtual-printer` on TCP, `ktp worker` against the same database. Workers are killed with
SIGKILL at chosen moments; the printers' own logs (cards.jsonl) are the evidence."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

KTP = str(Path(sys.executable).with_name("ktp"))
WAIT = 120.0  # seconds any one condition may take on a loaded 2-core machine


def wait_for(condition: Callable[[], object], what: str, timeout: float = WAIT,
             every: float = 0.02) -> object:
    """Poll until ``condition()`` is truthy (a wait, not a timed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up waiting for {what}")


def ktp_env(db_url: str, instance: Path) -> dict[str, str]:
    return {**os.environ, "KTP_DATABASE_URL": db_url, "KTP_INSTANCE_PATH": str(instance),
            "KTP_SECRET_KEY": "test-secret", "PYTHONUNBUFFERED": "1"}


class VirtualPrinterProcess:
    """``ktp virtual-printer`` on a port of its own; restarting keeps the port and the
    counters (printer-state.json), as switching a printer off and on does."""

    def __init__(self, root: Path, name: str, env: dict[str, str]) -> None:
        self.name, self.env = name, env
        self.out = root / f"printer-{name}"
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def start(self, *, cards: int = 1000, print_seconds: float = 0.0,
              faults: tuple[str, ...] = ()) -> VirtualPrinterProcess:
        args = [KTP, "virtual-printer", "--port", str(self.port), "--out", str(self.out),
                "--cards", str(cards), "--ribbon", str(cards + 100), "--name", self.name,
                "--print-seconds", str(print_seconds)]
        for fault in faults:
            args += ["--fault", fault]
        self.proc = subprocess.Popen(args, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        found = re.search(r"tcp://127\.0\.0\.1:(\d+)", line)
        assert found, f"virtual printer {self.name} did not start: {line}"
        self.port = int(found.group(1))
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self, **options) -> None:
        """What an operator does for a fault: clear it (a restart forgets injected faults)."""
        self.stop()
        self.start(**options)

    def log(self) -> list[dict]:
        path = self.out / "cards.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class WorkerProcess:
    def __init__(self, env: dict[str, str], printers: list[str], log_path: Path,
                 exit_when_idle: bool = True) -> None:
        args = [KTP, "worker", "--poll-seconds", "0.05", "--fault-poll-seconds", "0.1",
                "--lease-seconds", "30"]
        for name in printers:
            args += ["--printer", name]
        if exit_when_idle:
            args.append("--exit-when-idle")
        self.log_path = log_path
        self._log = log_path.open("a")
        self.proc = subprocess.Popen(args, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a power cut or the OOM killer."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._log.close()

    def wait(self, timeout: float = WAIT * 3) -> int:
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            self._log.close()
        assert code == 0, f"worker exited {code}:\n{self.log_path.read_text()[-3000:]}"
        return code

    def alive(self) -> bool:
        return self.proc.poll() is None


def printed_jobs(printers: list[VirtualPrinterProcess]) -> Counter:
    """Batch card ids as the printers printed them (job ids are ``batch-<card>-<nonce>``)."""
    counts: Counter = Counter()
    for printer in printers:
        for entry in printer.log():
            if entry["outcome"] == "printed":
                source, item_id, _ = entry["job_id"].split("-")
                assert source == "batch"
                counts[int(item_id)] += 1
    return counts


def spoiled_jobs(printers: list[VirtualPrinterProcess]) -> int:
    return sum(1 for p in printers for e in p.log() if e["outcome"] == "spoiled")
