"""Exactly-once: after a crash the host asks the printer what it finished."""

from __future__ import annotations

import pytest

from drivers import CardJamError, CoverOpenError, PrinterBusyError, RibbonEndedError, open_printer
from drivers.virtual import VirtualPrinter
from tests.drivers.cards import k_job


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
