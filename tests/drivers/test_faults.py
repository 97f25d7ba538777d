"""Every fault ends in the right typed error, the card is not recorded as printed, the error
says whether a blank was consumed, and the printer recovers once the fault is cleared.

Each test runs through the three ways in: in-process, TCP, and pyusb with the virtual backend.
"""

from __future__ import annotations

import pytest

from drivers import (
    CardJamError,
    CoverOpenError,
    FeederEmptyError,
    PrinterDisconnectedError,
    PrinterError,
    PrinterNotFoundError,
    PrinterOfflineError,
    RibbonEndedError,
)
from drivers.virtual import VirtualPrinter
from tests.drivers.cards import k_job

CASES = [
    # fault, error, blank consumed, spoiled entries logged
    ("feeder-empty", FeederEmptyError, False, 0),
    ("feeder-empty@2", FeederEmptyError, False, 0),
    ("ribbon-ended", RibbonEndedError, False, 0),
    ("ribbon-ended@2", RibbonEndedError, True, 1),
    ("jam", CardJamError, False, 0),
    ("jam@2", CardJamError, True, 1),
    ("cover-open", CoverOpenError, False, 0),
    ("cover-open@2", CoverOpenError, True, 1),
]


@pytest.mark.parametrize(("fault", "error", "consumed", "spoiled"), CASES)
def test_fault_error_consumption_and_recovery(
    connect, vprinter: VirtualPrinter, fault, error, consumed, spoiled
):
    vprinter.inject(fault)
    printed_before = 1 if "@2" in fault else 0
    with connect(busy_wait=0) as printer:
        if printed_before:
            printer.print_card(k_job("first"))
        with pytest.raises(error) as caught:
            printer.print_card(k_job("faulty"))
        assert caught.value.card_consumed is consumed
        assert caught.value.code in str(caught.value.as_dict()["code"])
        assert [r["job_id"] for r in vprinter.printed()] == ["first"] * printed_before
        assert sum(r["outcome"] == "spoiled" for r in vprinter.records) == spoiled
        assert printer.status().ready is False

        vprinter.clear(fault.split("@")[0])
        assert printer.status().ready
        result = printer.print_card(k_job("after-clear"))
    assert result.confirmed
    assert vprinter.printed()[-1]["job_id"] == "after-clear"
    assert result.card_number == vprinter.cards_inserted


def test_disconnect_mid_transfer(connect, vprinter: VirtualPrinter):
    vprinter.inject("disconnect@1")
    with connect() as printer, pytest.raises(PrinterDisconnectedError) as caught:
        printer.print_card(k_job("cut-off"))
    assert caught.value.card_consumed is None
    assert vprinter.records == []
    assert vprinter.cards_inserted == 0
    with pytest.raises((PrinterOfflineError, PrinterNotFoundError)), connect() as printer:
        printer.status()

    vprinter.clear("disconnect")
    with connect() as printer:
        assert printer.settle(0).outcome == "not-started"
        assert printer.print_card(k_job("again")).confirmed
    assert [r["job_id"] for r in vprinter.printed()] == ["again"]


def test_disconnect_from_the_start_is_offline(connect, vprinter: VirtualPrinter):
    vprinter.inject("disconnect")
    with pytest.raises((PrinterOfflineError, PrinterNotFoundError)) as caught, connect() as printer:
        printer.print_card(k_job())
    assert caught.value.card_consumed in (False, None)
    assert vprinter.records == []


def test_feeder_running_out_by_itself(connect, vprinter: VirtualPrinter):
    vprinter.cards_in_feeder = 1
    with connect() as printer:
        printer.print_card(k_job("last-blank"))
        with pytest.raises(FeederEmptyError) as caught:
            printer.print_card(k_job("no-blank"))
        assert caught.value.card_consumed is False
        vprinter.load_cards(10)
        printer.print_card(k_job("reloaded"))
    assert [r["job_id"] for r in vprinter.printed()] == ["last-blank", "reloaded"]


def test_ribbon_running_out_by_itself(connect, vprinter: VirtualPrinter):
    vprinter.ribbon_remaining = 1
    with connect() as printer:
        printer.print_card(k_job("last-print"))
        status = printer.status()
        assert status.ribbon_ended and status.state == "ribbon-ended"
        with pytest.raises(RibbonEndedError):
            printer.print_card(k_job("no-ribbon"))
        vprinter.load_ribbon(300)
        assert printer.status().ribbon_remaining == 300
        printer.print_card(k_job("new-ribbon"))
    assert len(vprinter.printed()) == 2


def test_every_error_message_tells_the_operator_what_to_do(connect, vprinter: VirtualPrinter):
    vprinter.inject("cover-open")
    with connect() as printer, pytest.raises(PrinterError) as caught:
        printer.print_card(k_job())
    assert "Close the printer cover" in str(caught.value)
