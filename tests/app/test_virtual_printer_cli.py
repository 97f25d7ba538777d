"""`ktp virtual-printer` as a developer runs it: its controls, a busy port, and how `ktp
printers status` sees it while it prints."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time

import pytest

import drivers
from tests.drivers.cards import k_job


def _ktp(*args: str, env: dict[str, str], **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, capture_output=True,
                          text=True, timeout=60, **options)


@pytest.fixture
def env(sqlite_url) -> dict[str, str]:
    return {"KTP_DATABASE_URL": sqlite_url}


@pytest.fixture
def start(tmp_path, env):
    """Start `ktp virtual-printer` with more options; returns its tcp:// address."""
    running = []

    def run(*options: str) -> str:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "virtual-printer", "--port", "0",
             "--out", str(tmp_path / "out"), *options],
            env=env, stdout=subprocess.PIPE, text=True)
        running.append(server)
        line = server.stdout.readline()
        found = re.search(r"tcp://127\.0\.0\.1:\d+", line)
        assert found and "control" in line, line
        return found.group(0)

    yield run
    for server in running:
        server.terminate()
        server.wait(timeout=10)


def test_a_developer_clears_faults_of_a_running_printer(start, tmp_path, env):
    uri = start("--cards", "0", "--fault", "jam")
    assert drivers.probe(uri)[0].state == "jam"
    out = str(tmp_path / "out")
    state = _ktp("virtual-printer", "control", "--out", out, "state", env=env)
    assert state.returncode == 0 and json.loads(state.stdout)["conditions"] == ["jam"]
    for words in (["clear-jam"], ["load-cards", "3"]):
        done = _ktp("virtual-printer", "control", "--out", out, *words, env=env)
        assert (done.returncode, done.stdout.strip()) == (0, "OK")
    status = drivers.probe(uri)[0]
    assert status.ready and status.state == "ready"
    refused = _ktp("virtual-printer", "control", "--out", out, "load-cards", "lots", env=env)
    assert refused.returncode == 1 and "ERROR PARAMETRES" in refused.stderr
    nowhere = _ktp("virtual-printer", "control", "--out", str(tmp_path), "state", env=env)
    assert nowhere.returncode == 1 and "no virtual printer" in nowhere.stderr


def test_a_cable_pulled_at_card_1_is_plugged_back_in_without_a_restart(start, tmp_path, env):
    uri = start("--fault", "disconnect@1")
    with drivers.open_printer(uri) as printer, pytest.raises(drivers.PrinterDisconnectedError):
        printer.print_card(k_job("cut-off"))
    assert drivers.probe(uri)[0].state == "offline"
    plugged = _ktp("virtual-printer", "control", "--out", str(tmp_path / "out"), "reconnect",
                   env=env)
    assert plugged.returncode == 0
    with drivers.open_printer(uri) as printer:
        assert printer.print_card(k_job("again")).confirmed


def test_a_port_in_use_is_named_without_a_traceback(tmp_path, env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = _ktp("virtual-printer", "--port", str(port), "--out", str(tmp_path), env=env)
    assert refused.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_status_of_a_printer_printing_a_card_is_printing_not_jam(start, runner):
    uri = start("--print-seconds", "3")
    runner.invoke(args=["printers", "add", "slow", uri])

    def print_one() -> None:
        with drivers.open_printer(uri) as printer:
            printer.print_card(k_job("slow"))

    printing = threading.Thread(target=print_one)
    printing.start()
    try:
        deadline = time.monotonic() + 5
        while not drivers.probe(uri)[0].printing:
            assert time.monotonic() < deadline, "the card never started"
            time.sleep(0.05)
        result = runner.invoke(args=["printers", "status", "slow", "--json"])
    finally:
        printing.join()
    status = json.loads(result.output)["status"]
    assert (status["state"], status["ready"], status["jam"]) == ("printing", True, False)
    assert status["card_inside"] and result.exit_code == 0
