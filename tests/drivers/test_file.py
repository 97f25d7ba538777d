"""``file://``: the byte stream on disk, exactly what a printer would receive."""

from __future__ import annotations

import pytest

from drivers import OneWayPrinterError, PrinterNotFoundError, encode_stream, open_printer, probe
from drivers.virtual import VirtualPrinter
from tests.drivers.cards import ktp_job


def test_file_gets_the_exact_stream_appended_per_card(tmp_path):
    target = tmp_path / "spool.evolis"
    first, second = ktp_job("f-1"), ktp_job("f-2", back=True)
    with open_printer(f"file://{target}") as printer:
        result = printer.print_card(first)
        printer.print_card(second)
    assert not result.confirmed and result.card_number is None
    assert target.read_bytes() == encode_stream(first) + encode_stream(second)


def test_a_written_file_prints_on_the_virtual_printer(tmp_path, vprinter: VirtualPrinter):
    target = tmp_path / "card.evolis"
    with open_printer(f"file://{target}") as printer:
        printer.print_card(ktp_job("from-file"))
    session = vprinter.connect()
    session.feed(target.read_bytes())
    assert set(session.take().split(b"\r")[:-1]) == {b"OK"}
    assert len(vprinter.printed()) == 1


def test_a_file_cannot_answer_and_gets_no_questions(tmp_path):
    target = tmp_path / "x.evolis"
    with open_printer(f"file://{target}") as printer:
        for question in (printer.status, printer.identity, printer.counters):
            with pytest.raises(OneWayPrinterError):
                question()
    assert target.read_bytes() == b""
    status, _ = probe(f"file://{tmp_path / 'x.evolis'}")
    assert status.online and "file" in status.reason


def test_missing_folder_is_reported(tmp_path):
    with pytest.raises(PrinterNotFoundError, match="does not exist"):
        open_printer(f"file://{tmp_path / 'nope' / 'x.evolis'}").open()
