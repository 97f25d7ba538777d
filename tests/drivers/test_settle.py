"""Exactly-once: after a crash the host asks the printer what it finished."""

from __future__ import annotations

import threading
import time

import pytest

from drivers import (
    CardJamError,
    Counters,
    CoverOpenError,
    PrinterBusyError,
    PrinterStatus,
    RibbonEndedError,
    Settlement,
    open_printer,
)
from drivers.virtual import VirtualPrinter
from tests.drivers.cards import k_job, ktp_job


def test_came_out(connect, vprinter: VirtualPrinter):
    with connect() as printer:
        before = printer.counters().cards_inserted
        printer.print_card(k_job("done"), expect_cards_inserted=before)
    with connect() as printer:  # the worker restarts and settles
        settlement = printer.settle(before)
    assert settlement.outcome == "came-out" and not settlement.safe_to_reprint
    assert settlement.counters.cards_inserted == before + 1


def test_not_started(connect, vprinter: VirtualPrinter):
    with connect() as printer:
        settlement = printer.settle(printer.counters().cards_inserted)
    assert settlement.outcome == "not-started" and settlement.safe_to_reprint


def test_spoiled_by_a_jam(connect, vprinter: VirtualPrinter):
    vprinter.inject("jam@1")
    with connect(busy_wait=0.2) as printer:
        with pytest.raises(CardJamError):
            printer.print_card(k_job("jammed"))
        settlement = printer.settle(0)
    assert settlement.outcome == "spoiled" and settlement.safe_to_reprint
    assert settlement.status.jam


@pytest.mark.parametrize("fault", ["cover-open@1", "ribbon-ended@1"])
def test_unclear_cases_ask_an_operator(connect, vprinter: VirtualPrinter, fault: str):
    """A job recorded with its blank counter only (before panel counters were recorded)."""
    vprinter.inject(fault)
    with connect() as printer:
        with pytest.raises((CoverOpenError, RibbonEndedError)):
            printer.print_card(k_job())
        settlement = printer.settle(0)
    assert settlement.outcome == "check-output" and not settlement.safe_to_reprint


def test_other_jobs_in_between_ask_an_operator(connect, vprinter: VirtualPrinter):
    with connect() as printer:
        printer.print_card(k_job("a"))
        printer.print_card(k_job("b"))
        assert printer.settle(0).outcome == "check-output"


def test_counter_moved_since_the_worker_recorded_it(connect, vprinter: VirtualPrinter):
    with connect() as printer:
        printer.print_card(k_job("someone-else"))
        with pytest.raises(PrinterBusyError) as caught:
            printer.print_card(k_job("mine"), expect_cards_inserted=0)
    assert caught.value.card_consumed is False
    assert [r["job_id"] for r in vprinter.printed()] == ["someone-else"]


def test_print_result_carries_the_card_number(in_process, vprinter: VirtualPrinter):
    with open_printer(in_process) as printer:
        results = [printer.print_card(k_job(f"n{i}")) for i in range(3)]
    assert [r.card_number for r in results] == [1, 2, 3]
    assert [r["card_number"] for r in vprinter.printed()] == [1, 2, 3]
    assert results[0].as_dict()["card_number"] == 1


@pytest.mark.parametrize(
    ("fault", "error"),
    [("jam@1", CardJamError), ("cover-open@1", CoverOpenError), ("ribbon-ended@1", RibbonEndedError)],
)
def test_a_blank_spoiled_mid_card_and_cleared_before_settling_is_spoiled(
    connect, vprinter: VirtualPrinter, fault: str, error: type
):
    """The operator pulls the jammed card out (closes the cover, fits a ribbon) before anyone
    settles: the blank counter alone says "one taken, printer idle", as for a card that came
    out. The panel counter says the card was never finished."""
    vprinter.inject(fault)
    job = k_job("cut-short")
    with connect(busy_wait=0.2) as printer:
        before = printer.counters()
        panels = printer.panels_for(job)
        with pytest.raises(error):
            printer.print_card(job, expect_cards_inserted=before.cards_inserted)
    vprinter.clear(fault.split("@")[0])
    with connect() as printer:  # the worker restarts and settles
        settlement = printer.settle(before.cards_inserted, before.panels_printed, panels)
    assert settlement.outcome == "spoiled" and settlement.safe_to_reprint
    assert settlement.counters.cards_inserted == before.cards_inserted + 1
    assert [r["outcome"] for r in vprinter.records] == ["spoiled"]


def test_a_card_printed_in_full_came_out(connect, vprinter: VirtualPrinter):
    job = ktp_job("whole", back=True)
    with connect() as printer:
        before = printer.counters()
        panels = printer.panels_for(job)
        printer.print_card(job, expect_cards_inserted=before.cards_inserted)
    with connect() as printer:
        settlement = printer.settle(before.cards_inserted, before.panels_printed, panels)
    assert panels == 10 and settlement.outcome == "came-out"
    assert settlement.counters.panels_printed == before.panels_printed + 10


def test_a_card_still_printing_is_not_settled_yet(tcp_server, vprinter: VirtualPrinter):
    vprinter.print_seconds = 1.0
    printing = threading.Thread(target=_print_one, args=(tcp_server.uri,))
    printing.start()
    try:
        _wait_for(lambda: vprinter.printing)
        with open_printer(tcp_server.uri, busy_wait=0.1) as printer:
            panels = printer.panels_for(k_job())
            with pytest.raises(PrinterBusyError, match="still printing"):
                printer.settle(0, 0, panels)
    finally:
        printing.join()
    with open_printer(tcp_server.uri) as printer:
        assert printer.settle(0, 0, panels).outcome == "came-out"


def _print_one(uri: str) -> None:
    with open_printer(uri) as printer:
        printer.print_card(k_job("slow"))


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


@pytest.mark.parametrize(
    ("taken", "printed", "jam", "outcome"),
    [
        (0, 0, False, "not-started"),
        (1, 0, False, "spoiled"),  # the blank left the feeder, nothing printed on it
        (1, 0, True, "spoiled"),  # ... and it is still stuck inside
        (1, 5, False, "came-out"),
        (1, 5, True, "check-output"),  # printed in full but stuck on its way out
        (1, 2, False, "check-output"),  # part of it: or a printer whose Rco;p counts cards
        (1, 7, False, "check-output"),
        (2, 10, False, "check-output"),
    ],
)
def test_the_counters_decide_or_an_operator_does(taken, printed, jam, outcome):
    status = PrinterStatus(online=True, jam=jam, card_inside=jam,
                           counters=Counters(10 + taken, 40 + printed))
    assert Settlement.judge(status, 10, 40, 5).outcome == outcome
