"""Printer driver figures: encode time per card and virtual-printer throughput.

Run: .venv/bin/python benchmarks/drivers.py [--cards N]
Goals (issue 4): encode <= 20 ms per YMCKO card; >= 50 cards/s over TCP at zero print time.
The virtual printer runs as its own process (as ``ktp virtual-printer`` does) and writes a PNG
per side and a log line per card, as in normal use.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers import EncodeOptions, encode_card, open_printer
from drivers.virtual import VirtualPrinter
from drivers.virtual.usb_backend import VirtualUsbBackend
from tests.drivers.cards import k_job, ktp_job

CARDS = {
    "K only (as the captures)": (lambda: k_job("bench"), "k"),
    "YMCKO front (KTP)": (lambda: ktp_job("bench"), "ymcko"),
    "YMCKO front + K back": (lambda: ktp_job("bench", back=True), "ymckok"),
}


def encode_ms(job_factory, ribbon: str, rounds: int = 60) -> float:
    job, options = job_factory(), EncodeOptions(ribbon=ribbon)
    encode_card(job, options)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        encode_card(job, options)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(out_dir: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    code = (
        "from drivers.virtual.server import serve; "
        f"serve('127.0.0.1', {port}, {out_dir!r}, cards=10**7, ribbon=10**7)"
    )
    root = Path(__file__).resolve().parents[1]
    server = subprocess.Popen([sys.executable, "-c", code], cwd=root)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"tcp://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("virtual printer server did not start")


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far; None where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def print_cards(uri: str, which: str, count: int, pre_encoded: bool) -> None:
    """One client: ``print_card`` end to end, or the same card's frames sent pre-encoded
    (lock-step, one reply per command), which measures the virtual printer alone."""
    job_factory, ribbon = CARDS[which]
    job = job_factory()
    frames = encode_card(job, EncodeOptions(ribbon=ribbon))
    with open_printer(uri, ribbon=ribbon) as printer:
        for _ in range(count):
            if pre_encoded:
                for frame in frames:
                    printer.ask(frame, timeout=60)
            else:
                printer.print_card(job)


def tcp_rate(
    server: subprocess.Popen, uri: str, which: str, clients: int, count: int, pre_encoded: bool
) -> tuple[float, float | None]:
    """Cards per second, and the server's CPU milliseconds per card (noise-proof, unlike the
    rate, on a shared machine)."""
    print_cards(uri, which, 2, pre_encoded)
    workers = [
        multiprocessing.Process(target=print_cards, args=(uri, which, count, pre_encoded))
        for _ in range(clients)
    ]
    cpu_before = cpu_seconds(server.pid)
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        if worker.exitcode:
            raise RuntimeError("a benchmark client failed")
    rate = clients * count / (time.perf_counter() - started)
    cpu_after = cpu_seconds(server.pid)
    if cpu_before is None or cpu_after is None:
        return rate, None
    return rate, (cpu_after - cpu_before) * 1000 / (clients * count)


def usb_rate(which: str, count: int) -> float:
    job_factory, ribbon = CARDS[which]
    job = job_factory()
    with tempfile.TemporaryDirectory() as out:
        backend = VirtualUsbBackend(VirtualPrinter(out, cards=10**6, ribbon=10**6))
        with open_printer("usb://0f49", ribbon=ribbon, usb_backend=backend) as printer:
            printer.print_card(job)
            started = time.perf_counter()
            for _ in range(count):
                printer.print_card(job)
            return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100, help="cards per client per run")
    parser.add_argument("--only", default="", help="only the cards whose name contains this")
    parser.add_argument("--no-usb", action="store_true", help="skip the pyusb backend runs")
    args = parser.parse_args()
    cards = [which for which in CARDS if args.only.lower() in which.lower()]

    print("Encode time per card (median)")
    print(f"  {'card':28} {'ms':>7}")
    for which in cards:
        factory, ribbon = CARDS[which]
        print(f"  {which:28} {encode_ms(factory, ribbon):7.1f}")

    print("\nVirtual printer throughput, zero print time, PNG + log line per card")
    print(f"  {'path':38} {'card':28} {'cards/s':>8} {'server CPU ms/card':>19}")
    runs = [
        ("TCP, print_card, 1 client", 1, False),
        ("TCP, print_card, 2 clients", 2, False),
        ("TCP, pre-encoded stream, 1 client", 1, True),
        ("TCP, pre-encoded stream, 2 clients", 2, True),
    ]
    with tempfile.TemporaryDirectory() as out:
        server, uri = start_server(out)
        try:
            for which in cards:
                for label, clients, pre_encoded in runs:
                    rate, cpu = tcp_rate(server, uri, which, clients, args.cards, pre_encoded)
                    cpu_text = f"{cpu:19.1f}" if cpu is not None else f"{'-':>19}"
                    print(f"  {label:38} {which:28} {rate:8.1f} {cpu_text}")
        finally:
            server.terminate()
            server.wait()
    for which in [] if args.no_usb else cards:
        rate = usb_rate(which, args.cards // 2)
        print(f"  {'pyusb virtual backend, print_card':38} {which:28} {rate:8.1f}")


if __name__ == "__main__":
    main()
