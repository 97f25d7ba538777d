"""The status model, replies parsing, and reading replies that real printers do not terminate."""

from __future__ import annotations

import pytest

from drivers import (
    CardJamError,
    CommandRejectedError,
    Counters,
    FeederEmptyError,
    PrinterFaultError,
    PrinterStatus,
    PrinterTimeoutError,
    probe,
)
from drivers.evolis import replies
from drivers.evolis.printer import Printer
from drivers.transports import Transport


@pytest.mark.parametrize(
    ("status", "state", "ready"),
    [
        (PrinterStatus(online=True), "ready", True),
        (PrinterStatus(online=False, reason="x"), "offline", False),
        (PrinterStatus(online=True, card_inside=True, cover_open=True), "jam", False),
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
