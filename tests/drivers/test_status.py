"""The status model, replies parsing, and reading replies that real printers do not terminate."""

from __future__ import annotations

import threading
import time

import pytest

from drivers import (
    CardJamError,
    CommandRejectedError,
    Counters,
    FeederEmptyError,
    PrinterFaultError,
    PrinterStatus,
    PrinterTimeoutError,
    open_printer,
    probe,
)
from drivers.evolis import replies
from drivers.evolis.printer import Printer
from drivers.transports import Transport
from drivers.virtual import VirtualPrinter
from drivers.virtual.server import VirtualPrinterServer
from tests.drivers.cards import k_job


@pytest.mark.parametrize(
    ("status", "state", "ready"),
    [
        (PrinterStatus(online=True), "ready", True),
        (PrinterStatus(online=False, reason="x"), "offline", False),
        (PrinterStatus(online=True, jam=True, card_inside=True, cover_open=True), "jam", False),
        (PrinterStatus(online=True, printing=True, card_inside=True), "printing", True),
        (PrinterStatus(online=True, printing=True, feeder_empty=True), "feeder-empty", False),
        (PrinterStatus(online=True, cover_open=True, feeder_empty=True), "cover-open", False),
        (PrinterStatus(online=True, ribbon_ended=True, ribbon_remaining=0), "ribbon-ended", False),
        (PrinterStatus(online=True, feeder_empty=True), "feeder-empty", False),
        (PrinterStatus(online=True, ribbon_remaining=20), "ribbon-low", True),
        (PrinterStatus(online=True, ribbon_remaining=21), "ready", True),
    ],
)
def test_state_word_and_readiness(status: PrinterStatus, state: str, ready: bool):
    assert (status.state, status.ready) == (state, ready)
    assert status.as_dict()["state"] == state


def test_status_of_a_virtual_printer_in_trouble(connect, vprinter):
    vprinter.inject("cover-open")
    vprinter.cards_in_feeder = 0
    vprinter.ribbon_remaining = 7
    with connect() as printer:
        status = printer.status()
    assert status.cover_open and status.feeder_empty and status.ribbon_low and not status.jam
    assert status.counters == Counters(0, 0)


def test_probe_of_an_unknown_virtual_printer_is_offline():
    status, _identity = probe("virtual://nobody-here")
    assert not status.online and "No virtual printer" in status.reason


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("FEEDER EMPTY", FeederEmptyError),
        ("CARD JAM", CardJamError),
        ("ERROR TIME OUT", CardJamError),
        ("ERROR CDE", CommandRejectedError),
        ("ERROR PARAMETRES", CommandRejectedError),
        ("NEED CLEANING", PrinterFaultError),
        ("ERROR SOMETHING NEW", PrinterFaultError),
    ],
)
def test_error_replies_map_to_typed_errors(reply: str, kind: type):
    error = replies.error_for(reply, "Se")
    assert isinstance(error, kind) and error.reply == reply and "Se" in str(error)
    assert replies.error_for("OK") is None and replies.error_for("4,92") is None


def test_device_id_round_trip():
    raw = replies.device_id({"MFG": "Evolis", "MDL": "Primacy", "CMD": "ESC"})
    assert raw[:2] == len(raw).to_bytes(2, "big")
    assert replies.parse_device_id(raw) == {"MFG": "Evolis", "MDL": "Primacy", "CMD": "ESC"}


class Scripted(Transport):
    """A printer that answers from a script, in arbitrary pieces, without terminators."""

    description = "scripted"

    def __init__(self, answers: list[list[bytes]]) -> None:
        self.answers, self.pending, self.sent = answers, [], []

    def open(self) -> None: ...

    def close(self) -> None: ...

    def write(self, data: bytes) -> None:
        self.sent.append(data)
        self.pending = list(self.answers.pop(0)) if self.answers else []

    def read(self, size: int = 4096, timeout: float = 1.0) -> bytes:
        return self.pending.pop(0) if self.pending else b""


def test_unterminated_replies_in_pieces_are_read_whole():
    printer = Printer(Scripted([[b"Prim", b"acy"], [b"12", b"34\x00\x00"]]), reply_timeout=1)
    assert printer.ask(b"\x1bRtp\r") == "Primacy"
    assert printer.ask(b"\x1bRco;c\r") == "1234"


def test_silence_is_a_timeout_with_unknown_consumption():
    printer = Printer(Scripted([[]]), reply_timeout=0.05)
    with pytest.raises(PrinterTimeoutError) as caught:
        printer.ask(b"\x1bRtp\r")
    assert caught.value.card_consumed is None


def test_a_late_reply_is_not_mistaken_for_the_next_answer():
    transport = Scripted([[], [b"OK\r"], [b"7\r"]])
    printer = Printer(transport, reply_timeout=0.05)
    with pytest.raises(PrinterTimeoutError):
        printer.ask(b"\x1bSe\r")
    transport.pending = [b"OK\r"]  # the late answer to Se arrives
    transport.answers = [[b"7\r"]]
    assert printer.ask(b"\x1bRco;c\r") == "7"


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


def test_a_printer_printing_a_card_is_busy_not_jammed(tmp_path):
    slow = VirtualPrinter(tmp_path, print_seconds=1.0)
    with VirtualPrinterServer(slow, port=0) as server:

        def print_one() -> None:
            with open_printer(server.uri) as printer:
                printer.print_card(k_job("slow"))

        worker = threading.Thread(target=print_one)
        worker.start()
        try:
            _wait_for(lambda: slow.printing)
            status, _ = probe(server.uri)
        finally:
            worker.join()
        after, _ = probe(server.uri)
    assert (status.state, status.ready, status.jam) == ("printing", True, False)
    assert status.printing and status.card_inside and status.as_dict()["state"] == "printing"
    assert (after.state, after.printing, after.card_inside) == ("ready", False, False)


def test_a_jam_is_reported_as_soon_as_the_printer_says_so(tcp_server, vprinter):
    vprinter.inject("jam")
    status, _ = probe(tcp_server.uri)
    assert (status.state, status.jam, status.printing, status.ready) == ("jam", True, False, False)
    started = time.monotonic()
    with (
        open_printer(tcp_server.uri, busy_wait=30) as printer,
        pytest.raises(CardJamError) as caught,
    ):
        printer.print_card(k_job())
    assert time.monotonic() - started < 10  # not after the 30 s given to a card being printed
    assert caught.value.card_consumed is False


def test_a_printer_without_the_state_query_is_judged_by_the_card_inside(
    tcp_server, vprinter, monkeypatch
):
    """A model that answers ``Rst`` with ERROR CDE: a card inside may be printing; still
    inside after ``busy_wait`` it is stuck."""
    query = vprinter.query
    monkeypatch.setattr(
        vprinter, "query", lambda name, params: "ERROR CDE" if name == "Rst" else query(name, params)
    )
    vprinter.inject("jam")
    status, _ = probe(tcp_server.uri)
    assert (status.state, status.printing, status.jam) == ("printing", True, False)
    with (
        open_printer(tcp_server.uri, busy_wait=0.3) as printer,
        pytest.raises(CardJamError, match="stuck"),
    ):
        printer.print_card(k_job())
