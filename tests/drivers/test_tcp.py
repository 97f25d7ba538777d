"""The TCP path: network printers and the virtual printer server, several clients at once."""

from __future__ import annotations

import socket
import threading

import pytest

from drivers import CardJamError, PrinterDisconnectedError, PrinterOfflineError, open_printer, probe
from drivers.virtual import VirtualPrinter
from drivers.virtual.server import VirtualPrinterServer
from tests.drivers.cards import k_job, ktp_job


def test_print_over_tcp(tcp_server: VirtualPrinterServer, vprinter: VirtualPrinter):
    with open_printer(tcp_server.uri) as printer:
        result = printer.print_card(ktp_job("tcp-1"))
        assert printer.identity().serial == vprinter.serial
    assert result.confirmed and result.before.cards_inserted == 0 and result.card_number == 1
    assert vprinter.printed()[0]["job_id"] == "tcp-1"


def test_several_clients_share_one_mechanism(
    tcp_server: VirtualPrinterServer, vprinter: VirtualPrinter
):
    failures: list[BaseException] = []

    def client(number: int) -> None:
        try:
            with open_printer(tcp_server.uri) as printer:
                for card in range(5):
                    printer.print_card(k_job(f"c{number}-{card}"))
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    printed = vprinter.printed()
    assert len(printed) == 20 == vprinter.cards_inserted
    assert sorted(r["card_number"] for r in printed) == list(range(1, 21))
    assert {r["job_id"] for r in printed} == {f"c{n}-{c}" for n in range(4) for c in range(5)}


def test_nothing_listening_is_offline():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(PrinterOfflineError, match="Nothing answers"):
        open_printer(f"tcp://127.0.0.1:{port}").open()
    status, identity = probe(f"tcp://127.0.0.1:{port}")
    assert status.state == "offline" and "Nothing answers" in status.reason and identity == {}


def test_printer_going_away_mid_conversation(tcp_server, vprinter: VirtualPrinter):
    with open_printer(tcp_server.uri) as printer:
        printer.counters()
        vprinter.disconnect()
        with pytest.raises(PrinterDisconnectedError, match="closed the connection"):
            printer.counters()


def test_probe_reports_status_and_identity(tcp_server, vprinter):
    status, identity = probe(tcp_server.uri)
    assert status.ready and status.state == "ready"
    assert identity["serial"] == vprinter.serial


def test_serve_runs_the_cli_entry_point_until_stopped(tmp_path):
    from drivers.virtual.server import serve

    stop, announced, result = threading.Event(), [], []

    def run() -> None:
        result.append(
            serve(
                "127.0.0.1",
                0,
                tmp_path,
                cards=2,
                faults=["jam@2"],
                announce=announced.append,
                stop=stop,
            )
        )

    thread = threading.Thread(target=run)
    thread.start()
    while not announced:
        thread.join(0.01)
    with open_printer(announced[0]) as printer:
        printer.print_card(k_job("served"))
        with pytest.raises(CardJamError):
            printer.print_card(k_job("jams"))
    stop.set()
    thread.join()
    [printer] = result
    assert printer.snapshot()["conditions"] == ["jam"]
    assert (tmp_path / "cards.jsonl").read_text().count("\n") == 2


def test_serve_refuses_an_unknown_fault_before_listening(tmp_path):
    from drivers.virtual.server import serve

    with pytest.raises(ValueError, match="feeder-empty"):
        serve("127.0.0.1", 0, tmp_path, faults=["smoke"])


def test_a_second_client_waits_for_the_card_being_printed(tmp_path):
    slow = VirtualPrinter(tmp_path, print_seconds=0.3)
    with VirtualPrinterServer(slow, port=0) as server:
        results, failures = [], []

        def client(name: str) -> None:
            try:
                with open_printer(server.uri) as printer:
                    results.append(printer.print_card(k_job(name)))
            except Exception as exc:  # pragma: no cover - reported below
                failures.append(exc)

        threads = [threading.Thread(target=client, args=(n,)) for n in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == [] and len(slow.printed()) == 2


def test_a_card_that_never_comes_out_is_a_jam(tcp_server, vprinter):
    vprinter.inject("jam")
    with (
        open_printer(tcp_server.uri, busy_wait=0.3) as printer,
        pytest.raises(CardJamError) as caught,
    ):
        printer.print_card(k_job())
    assert caught.value.card_consumed is False and "stuck" in str(caught.value)
