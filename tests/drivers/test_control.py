"""The virtual printer's control port: what an operator does at the printer, while it runs."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest

from drivers import CardJamError, PrinterDisconnectedError, PrinterOfflineError, open_printer
from drivers.virtual import VirtualPrinter, registry
from drivers.virtual.control import control as control_folder
from drivers.virtual.control import read_address, send
from drivers.virtual.server import VirtualPrinterServer, serve
from tests.drivers.cards import k_job


@pytest.fixture
def server(vprinter: VirtualPrinter) -> Iterator[VirtualPrinterServer]:
    with VirtualPrinterServer(vprinter, port=0, control_port=0) as running:
        yield running


def control(server: VirtualPrinterServer, *words: str) -> str:
    host, port = server.control_address
    return send(host, port, *words)


def test_an_operator_clears_faults_loads_cards_and_fits_a_ribbon(server, vprinter):
    vprinter.inject("jam")
    vprinter.inject("cover-open")
    vprinter.cards_in_feeder = 0
    with open_printer(server.uri) as printer, pytest.raises(CardJamError):
        printer.print_card(k_job("stuck"))
    for words in (("clear-jam",), ("close-cover",), ("load-cards", "5"),
                  ("load-ribbon", "80", "k")):
        assert control(server, *words) == "OK"
    state = json.loads(control(server, "state"))
    assert (state["conditions"], state["cards_in_feeder"]) == ([], 5)
    assert (state["ribbon_remaining"], state["ribbon_type"]) == (80, "k")
    with open_printer(server.uri, ribbon="k") as printer:
        assert printer.status().ready
        assert printer.print_card(k_job("after")).confirmed


def test_a_disconnect_drops_connections_until_the_cable_is_back(server, vprinter):
    vprinter.inject("disconnect@1")
    with open_printer(server.uri) as printer, pytest.raises(PrinterDisconnectedError):
        printer.print_card(k_job("cut-off"))
    for _ in range(2):  # the next connections drop too, until an operator acts
        with pytest.raises(PrinterOfflineError), open_printer(server.uri) as printer:
            printer.status()
    assert json.loads(control(server, "state"))["conditions"] == ["disconnect"]
    assert control(server, "reconnect") == "OK"
    with open_printer(server.uri) as printer:
        assert printer.settle(0).outcome == "not-started"
        assert printer.print_card(k_job("again")).confirmed
    assert [r["job_id"] for r in vprinter.printed()] == ["again"]


def test_faults_are_injected_at_runtime(server, vprinter):
    assert control(server, "fault", "jam@1") == "OK"
    assert control(server, "open-cover") == "OK"
    assert json.loads(control(server, "state"))["pending_faults"] == ["jam@1"]
    assert control(server, "clear", "all") == "OK"
    assert json.loads(control(server, "state"))["conditions"] == []


@pytest.mark.parametrize("words", [
    ("load-cards",), ("load-cards", "many"), ("load-cards", "-1"), ("load-ribbon", "9", "rainbow"),
    ("fault", "smoke"), ("clear", "dust"), ("state", "now"), ("teleport",),
])
def test_a_control_it_does_not_know_is_refused(server, vprinter, words):
    before = vprinter.snapshot()
    assert control(server, *words) == "ERROR PARAMETRES"
    assert vprinter.snapshot() == before


def test_controls_are_unknown_on_the_printing_port(server, vprinter):
    with socket.create_connection(server.address) as sock:
        sock.sendall(b"\x1bVctl;load-cards;5\r")
        assert sock.recv(64) == b"ERROR CDE\r"
    assert vprinter.cards_in_feeder == 50


def test_serve_writes_its_control_port_into_the_folder_while_it_runs(tmp_path):
    stop, announced = threading.Event(), []
    thread = threading.Thread(target=serve, args=("127.0.0.1", 0, tmp_path),
                              kwargs={"announce": announced.append, "stop": stop,
                                      "faults": ["cover-open"]})
    thread.start()
    try:
        while not announced:
            thread.join(0.01)
        host, port = read_address(tmp_path)
        assert send(host, port, "close-cover") == "OK"
        with open_printer(announced[0]) as printer:
            assert printer.status().ready
    finally:
        stop.set()
        thread.join()
    with pytest.raises(ConnectionError, match="no virtual printer"):
        read_address(tmp_path)


def test_a_printer_inside_another_process_is_controlled_through_its_folder(tmp_path):
    """``virtual://NAME`` lives inside the web server or a worker, with no control port: the
    folder is the printer, and that process sees the change before it next answers."""
    printer = registry.register("in-app", out_dir=tmp_path)
    try:
        printer.inject("jam")
        printer.cards_in_feeder = 0
        assert control_folder(tmp_path, "clear-jam") == "OK"
        assert control_folder(tmp_path, "load-cards", "4") == "OK"
        with open_printer("virtual://in-app") as device:
            assert device.status().ready
            assert device.print_card(k_job("after")).confirmed
        assert json.loads(control_folder(tmp_path, "state"))["cards_in_feeder"] == 3
    finally:
        registry.unregister("in-app")
    with pytest.raises(ConnectionError, match="no virtual printer"):
        control_folder(tmp_path / "elsewhere", "state")
