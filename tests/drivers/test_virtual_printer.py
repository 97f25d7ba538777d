"""The virtual printer answers like a printer: replies, refusals, counters, log, faults syntax."""

from __future__ import annotations

import json

import pytest

from drivers import RibbonEndedError, open_printer
from drivers.evolis import commands as cmd
from drivers.virtual import FAULT_KINDS, Fault, VirtualPrinter, parse_fault, registry
from tests.drivers.cards import k_job, ktp_job


def ask(printer: VirtualPrinter, stream: bytes) -> list[str]:
    session = printer.connect()
    session.feed(stream)
    return session.take().decode().split("\r")[:-1]


@pytest.mark.parametrize(
    ("stream", "reply"),
    [
        (b"\x1bRtp\r", "Virtual Evolis Primacy"),
        (b"\x1bRfv\r", "VRT 1.0.0"),
        (b"\x1bRco;c\r", "0"),
        (b"\x1bRco;p\r", "0"),
        (b"\x1bRco;z\r", "ERROR PARAMETRES"),
        (b"\x1bRlr;p\r", "OK"),
        (b"\x1bRse;o\r", "0,23"),
        (b"\x1bRse;f\r", "4,92"),
        (b"\x1bRcr\r", "200"),
        (b"\x1bRtp;x\r", "ERROR PARAMETRES"),
        (b"\x1bPr;ymcko\r", "OK"),
        (b"\x1bPr;rainbow\r", "ERROR PARAMETRES"),
        (b"\x1bPr\r", "ERROR PARAMETRES"),
        (b"\x1bPmi;F;s\r", "OK"),
        (b"\x1bPmi;Q\r", "ERROR PARAMETRES"),
        (b"\x1bPc;k;=;10\r", "OK"),
        (b"\x1bPc;k;=;99\r", "ERROR PARAMETRES"),
        (b"\x1bPc;q;=;10\r", "ERROR PARAMETRES"),
        (b"\x1bPdt;DU\r", "OK"),
        (b"\x1bMr;s\r", "OK"),
        (b"\x1bPpws;1281755559\r", "OK"),
        (b"\x1bPpws;abc\r", "ERROR PARAMETRES"),
        (b"\x1bPem;2\r", "OK"),
        (b"\x1bPem;7\r", "ERROR PARAMETRES"),
        (b"\x1bZz\r", "ERROR CDE"),
        (b"\x1bSr\r", "ERROR CDE"),
        (b"\x1bSe\r", "ERROR CDE"),
        (b"\x1bSs;1\r", "ERROR PARAMETRES"),
        (b"\x1bVji\r", "ERROR PARAMETRES"),
        (b"\x1bDbc;k;2;3;\x01\xff\x00\r", "ERROR CDE"),
        (b"@@", "ERROR CDE"),
    ],
)
def test_replies_as_a_printer_gives_them(vprinter: VirtualPrinter, stream: bytes, reply: str):
    vprinter.ribbon_remaining = 200
    assert ask(vprinter, stream) == [reply]


def test_compressed_panel_that_does_not_make_1016_lines_is_refused(vprinter: VirtualPrinter):
    assert ask(vprinter, b"\x1bSs\r\x1bDbc;k;2;3;\x01\xff\x00\r") == ["OK", "ERROR PARAMETRES"]


def test_sequence_without_panels_is_refused(vprinter: VirtualPrinter):
    assert ask(vprinter, b"\x1bSs\r\x1bSr\r\x1bSe\r") == ["OK", "OK", "ERROR PARAMETRES"]
    assert vprinter.cards_inserted == 0


def test_end_of_sequence_accepts_the_eject_parameter_of_the_captures(vprinter: VirtualPrinter):
    blank_k = cmd.download_compressed("k", 2, b"\x00" * 1016)
    replies = ask(vprinter, b"\x1bSs\r\x1bSr\r" + blank_k + b"\x1bSe;1\r")
    assert replies == ["OK"] * 4
    assert vprinter.cards_inserted == 1


def test_log_line_per_card_with_job_id_time_panels_counters(in_process, vprinter: VirtualPrinter):
    with open_printer(in_process) as printer:
        printer.print_card(ktp_job("log-1", back=True))
    [line] = (vprinter.log.folder / "cards.jsonl").read_text().splitlines()
    entry = json.loads(line)
    assert entry["job_id"] == "log-1" and entry["outcome"] == "printed" and entry["time"]
    assert entry["counters"] == {"cards_inserted": 1, "panels_printed": 10}
    front, back = entry["sides"]
    assert list(front["panels"]) == ["y", "m", "c", "k", "o"]
    assert front["panels"]["y"]["levels"] == 32 and front["panels"]["o"]["inked_share"] == 1.0
    assert (vprinter.log.folder / front["png"]).exists() and (
        vprinter.log.folder / back["png"]
    ).exists()
    assert vprinter.log.entries() == [entry]


def test_job_id_is_only_sent_to_the_virtual_printer(in_process, vprinter: VirtualPrinter, tmp_path):
    with open_printer(in_process) as printer:
        assert printer.identity().is_virtual
    with open_printer(f"file://{tmp_path / 'real.evolis'}") as printer:
        printer.print_card(k_job("never-in-stream"))
    assert b"Vji" not in (tmp_path / "real.evolis").read_bytes()


def test_counters_survive_a_restart(tmp_path):
    first = VirtualPrinter(tmp_path / "out")
    session = first.connect()
    session.feed(
        b"\x1bSs\r\x1bSr\r" + cmd.download_compressed("k", 2, b"\xff" * 1016) + b"\x1bSe\r"
    )
    again = VirtualPrinter(tmp_path / "out")
    assert (again.cards_inserted, again.panels_printed) == (1, 1)


def test_a_print_waits_the_configured_print_time(tmp_path, monkeypatch):
    slept = []
    monkeypatch.setattr("drivers.virtual.device.time.sleep", slept.append)
    printer = VirtualPrinter(tmp_path, print_seconds=15)
    ask(printer, b"\x1bSs\r" + cmd.download_compressed("k", 2, b"\x00" * 1016) + b"\x1bSe\r")
    assert slept == [15]


def test_registry_names_printers_in_this_process(tmp_path):
    printer = registry.register("reg-test", out_dir=tmp_path, cards=3)
    try:
        assert registry.get("reg-test") is printer and "reg-test" in registry.names()
        assert printer.cards_in_feeder == 3
    finally:
        registry.unregister("reg-test")
    with pytest.raises(Exception, match="No virtual printer"):
        registry.get("reg-test")


@pytest.mark.parametrize(
    ("text", "fault"),
    [("jam", Fault("jam")), ("jam@3", Fault("jam", 3)), ("disconnect@1", Fault("disconnect", 1))],
)
def test_fault_syntax(text: str, fault: Fault):
    assert parse_fault(text) == fault
    assert str(parse_fault(text)) == text


@pytest.mark.parametrize("text", ["smoke", "jam@", "jam@x", "jam@0", "@3"])
def test_bad_fault_syntax_names_the_kinds(text: str):
    with pytest.raises(ValueError):
        parse_fault(text)
    assert "feeder-empty" in FAULT_KINDS


def test_snapshot_shows_state_for_developers(vprinter: VirtualPrinter):
    vprinter.inject("jam@4")
    vprinter.inject("cover-open")
    snap = vprinter.snapshot()
    assert snap["conditions"] == ["cover-open"] and snap["pending_faults"] == ["jam@4"]
    vprinter.clear()
    assert vprinter.snapshot()["conditions"] == [] and vprinter.snapshot()["pending_faults"] == []


Y_PANEL = cmd.download("y", 32, bytes(648 * 1016 * 5 // 8))
K_PANEL = cmd.download_compressed("k", 2, b"\x00" * 1016)


def test_a_panel_the_job_s_ribbon_lacks_is_refused(vprinter: VirtualPrinter):
    """``Pr;k`` selects a black ribbon: a yellow panel after it is not part of the job."""
    assert ask(vprinter, b"\x1bPr;k\r\x1bSs\r\x1bSr\r" + Y_PANEL) == [
        "OK", "OK", "OK", "ERROR PARAMETRES"]
    assert vprinter.records == [] and vprinter.cards_inserted == 0


def test_a_panel_the_fitted_ribbon_lacks_is_refused(tmp_path):
    mono = VirtualPrinter(tmp_path / "k", ribbon_type="k")
    assert ask(mono, b"\x1bPr;ymcko\r") == ["ERROR RIBBON"]
    assert ask(mono, b"\x1bSs\r\x1bSr\r" + Y_PANEL) == ["OK", "OK", "ERROR RIBBON"]
    assert ask(mono, b"\x1bPr;k\r\x1bSs\r\x1bSr\r" + K_PANEL + b"\x1bSe\r") == ["OK"] * 5
    half = VirtualPrinter(tmp_path / "ymckok", ribbon_type="ymckok")  # colour front, black back
    assert ask(half, b"\x1bSs\r\x1bSr\r" + Y_PANEL + b"\x1bSv\r" + Y_PANEL) == [
        "OK", "OK", "OK", "OK", "ERROR RIBBON"]


def test_a_colour_card_on_a_black_ribbon_is_a_ribbon_error_before_any_blank(tmp_path):
    registry.register("mono", VirtualPrinter(tmp_path, ribbon_type="k"))
    try:
        with open_printer("virtual://mono") as printer, pytest.raises(RibbonEndedError) as caught:
            printer.print_card(ktp_job("colour"))
        assert caught.value.card_consumed is False and "Replace the ribbon" in str(caught.value)
        with open_printer("virtual://mono", ribbon="k") as printer:
            assert printer.print_card(k_job("black")).confirmed
    finally:
        registry.unregister("mono")
