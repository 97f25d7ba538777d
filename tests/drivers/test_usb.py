"""The USB transport through genuine pyusb calls, against the virtual printer's pyusb backend."""

from __future__ import annotations

import errno

import pytest
import usb.core
import usb.util

from drivers import (
    NoUsbBackendError,
    PrinterBusyError,
    PrinterDisconnectedError,
    PrinterError,
    PrinterNotFoundError,
    PrinterPermissionError,
    PrinterTimeoutError,
    open_printer,
)
from drivers.evolis.printer import Printer
from drivers.transports.usb import UsbTransport
from drivers.virtual import VirtualPrinter
from drivers.virtual.usb_backend import VirtualUsbBackend, VirtualUsbDevice
from tests.drivers.cards import k_job, ktp_job


def test_pyusb_sees_a_printer_class_device(
    usb_backend: VirtualUsbBackend, vprinter: VirtualPrinter
):
    dev = usb.core.find(idVendor=0x0F49, backend=usb_backend)
    assert dev is not None
    assert (dev.idVendor, dev.idProduct) == (0x0F49, 0x5A01)
    assert dev.manufacturer == "Evolis" and dev.serial_number == vprinter.serial
    interface = dev.get_active_configuration()[(0, 0)]
    assert (
        interface.bInterfaceClass,
        interface.bInterfaceSubClass,
        interface.bInterfaceProtocol,
    ) == (7, 1, 2)
    directions = sorted(usb.util.endpoint_direction(e.bEndpointAddress) for e in interface)
    assert directions == [usb.util.ENDPOINT_OUT, usb.util.ENDPOINT_IN]


def test_print_identify_and_status_over_usb(usb_backend, usb_device, vprinter: VirtualPrinter):
    uri = f"usb://0f49:5a01?serial={vprinter.serial}"
    with open_printer(uri, usb_backend=usb_backend) as printer:
        identity = printer.identity()
        assert identity.model == vprinter.model and identity.serial == vprinter.serial
        assert identity.device_id["MFG"] == "Evolis" and identity.device_id["CMD"] == "ESC"
        assert printer.status().ready
        result = printer.print_card(ktp_job("usb-1", back=True))
        assert printer.transport.port_status() == 0x18
    assert result.confirmed and result.sides == 2
    assert vprinter.printed()[0]["job_id"] == "usb-1"


def test_kernel_driver_is_detached_for_the_job_and_given_back(usb_backend, usb_device):
    assert usb_device.kernel_driver_bound
    with open_printer("usb://0f49", usb_backend=usb_backend) as printer:
        assert not usb_device.kernel_driver_bound
        assert usb_device.claimed_by is not None
        printer.counters()
    assert usb_device.kernel_driver_bound and usb_device.claimed_by is None


def test_large_panels_go_out_in_chunks(usb_backend, usb_device, monkeypatch):
    sizes = []
    original = VirtualUsbBackend.bulk_write

    def spy(self, handle, ep, intf, data, timeout):
        sizes.append(len(data))
        return original(self, handle, ep, intf, data, timeout)

    monkeypatch.setattr(VirtualUsbBackend, "bulk_write", spy)
    with open_printer("usb://0f49:5a01", usb_backend=usb_backend) as printer:
        printer.print_card(ktp_job())
    assert max(sizes) == 16 * 1024
    assert sum(sizes) > 1_000_000


def test_wrong_serial_is_not_found_with_what_was_seen(usb_backend):
    with pytest.raises(PrinterNotFoundError, match="0f49:5a01") as caught:
        open_printer("usb://0f49:5a01?serial=NOPE", usb_backend=usb_backend).open()
    assert "plugged in" in str(caught.value)


def test_no_printer_plugged_in(usb_backend, usb_device):
    usb_device.unplugged = True
    with pytest.raises(PrinterNotFoundError, match="none"):
        open_printer("usb://0f49", usb_backend=usb_backend).open()


def test_permission_denied_points_to_the_udev_rule(usb_backend, usb_device):
    usb_device.permission_denied = True
    with pytest.raises(PrinterPermissionError) as caught:
        open_printer("usb://0f49:5a01", usb_backend=usb_backend).open()
    assert "60-ktp-evolis.rules" in str(caught.value) and "/etc/udev/rules.d/" in str(caught.value)


def test_permission_denied_while_reading_serial_numbers(usb_backend, usb_device):
    usb_device.permission_denied = True
    with pytest.raises(PrinterPermissionError):
        open_printer("usb://0f49:5a01?serial=X", usb_backend=usb_backend).open()


def test_interface_held_by_another_program_is_busy(usb_backend, usb_device):
    usb_device.kernel_driver_bound = False
    usb_device.claimed_by = object()
    with pytest.raises(PrinterBusyError, match="CUPS"):
        open_printer("usb://0f49:5a01", usb_backend=usb_backend).open()


def test_no_libusb_backend_names_the_debian_package(monkeypatch):
    def no_backend(*args, **kwargs):
        raise usb.core.NoBackendError("No backend available")

    monkeypatch.setattr(usb.core, "find", no_backend)
    with pytest.raises(NoUsbBackendError, match=r"libusb-1\.0-0"):
        UsbTransport(0x0F49).open()


def test_a_printer_that_takes_no_data_times_out_before_the_job(usb_backend, usb_device):
    with open_printer("usb://0f49", usb_backend=usb_backend, timeout=0.2) as printer:
        usb_device.stalled = True
        with pytest.raises(PrinterTimeoutError) as caught:
            printer.print_card(k_job())
    assert caught.value.card_consumed is False


def test_a_printer_that_stops_taking_data_mid_job_times_out(usb_backend, usb_device, monkeypatch):
    original = VirtualUsbBackend.bulk_write

    def stall_on_bitmaps(self, handle, ep, intf, data, timeout):
        if bytes(data[:3]) == b"\x1bDb":
            usb_device.stalled = True
        return original(self, handle, ep, intf, data, timeout)

    monkeypatch.setattr(VirtualUsbBackend, "bulk_write", stall_on_bitmaps)
    with open_printer("usb://0f49", usb_backend=usb_backend, timeout=0.2) as printer:
        with pytest.raises(PrinterTimeoutError) as caught:
            printer.print_card(k_job())
        assert "settle" in str(caught.value)
    assert caught.value.card_consumed is None


def test_unplugged_before_the_job(usb_backend, usb_device, vprinter):
    with open_printer("usb://0f49", usb_backend=usb_backend) as printer:
        printer.counters()
        usb_device.unplugged = True
        with pytest.raises(PrinterDisconnectedError) as caught:
            printer.print_card(k_job())
    assert caught.value.card_consumed is False
    assert vprinter.records == []


def test_unplugged_mid_job(usb_backend, usb_device, vprinter, monkeypatch):
    original = VirtualUsbBackend.bulk_write

    def unplug_on_bitmaps(self, handle, ep, intf, data, timeout):
        if bytes(data[:3]) == b"\x1bDb":
            usb_device.unplugged = True
        return original(self, handle, ep, intf, data, timeout)

    monkeypatch.setattr(VirtualUsbBackend, "bulk_write", unplug_on_bitmaps)
    with (
        open_printer("usb://0f49", usb_backend=usb_backend) as printer,
        pytest.raises(PrinterDisconnectedError) as caught,
    ):
        printer.print_card(k_job())
    assert caught.value.card_consumed is None
    assert "settle" in str(caught.value)
    assert vprinter.records == []


def test_soft_reset_drops_a_half_sent_command(usb_backend, vprinter):
    transport = UsbTransport(0x0F49, backend=usb_backend)
    with transport:
        transport.write(b"\x1bDb;k;2;" + bytes(1000))
        transport.soft_reset()
        transport.write(b"\x1bRtp\r")
        assert transport.read(64, 1.0) == vprinter.model.encode() + b"\r"


def test_get_port_status_reports_an_empty_feeder(usb_backend, vprinter):
    vprinter.inject("feeder-empty")
    with UsbTransport(0x0F49, backend=usb_backend) as transport:
        assert transport.port_status() & 0x20


def test_read_with_nothing_to_read_returns_empty(usb_backend):
    with UsbTransport(0x0F49, backend=usb_backend) as transport:
        assert transport.read(64, 0.05) == b""


def test_usb_error_codes_map_to_operator_errors():
    from drivers.transports.usb import usb_error

    assert isinstance(
        usb_error(usb.core.USBError("x", -3, errno.EACCES), "x"), PrinterPermissionError
    )
    assert isinstance(usb_error(usb.core.USBError("x", -6, errno.EBUSY), "x"), PrinterBusyError)
    gone = usb_error(usb.core.USBError("x", -4, errno.ENODEV), "x", during_job=True)
    assert isinstance(gone, PrinterDisconnectedError) and gone.card_consumed is None
    assert isinstance(
        usb_error(usb.core.USBTimeoutError("x", -7, errno.ETIMEDOUT), "x"), PrinterTimeoutError
    )


def test_two_printers_told_apart_by_serial(tmp_path):
    first = VirtualPrinter(tmp_path / "a", name="a", serial="SN-A")
    second = VirtualPrinter(tmp_path / "b", name="b", serial="SN-B")
    backend = VirtualUsbBackend(
        VirtualUsbDevice(first, address=5), VirtualUsbDevice(second, address=6)
    )
    with open_printer("usb://0f49:5a01?serial=SN-B", usb_backend=backend) as printer:
        printer.print_card(k_job("to-b"))
    assert first.records == [] and second.printed()[0]["job_id"] == "to-b"


def test_real_libusb_path_without_the_printer():
    with pytest.raises((PrinterNotFoundError, NoUsbBackendError)):
        open_printer("usb://0f49:5a01?serial=NOT-PLUGGED-IN").open()


HALF_A_BITMAP = b"\x1bSs\r\x1bSr\r\x1bDb;k;2;" + bytes(1000)
"""What a host sent before it crashed (or timed out, or lost the cable) mid-download."""


def _crash_mid_download(backend: VirtualUsbBackend) -> None:
    crashed = UsbTransport(0x0F49, backend=backend)
    crashed.open()
    crashed.write(HALF_A_BITMAP)
    crashed.close()  # nothing more reaches the printer, which still waits for 81,296 bytes


def test_a_job_cut_off_mid_bitmap_does_not_garble_the_next_opening(usb_backend, vprinter):
    _crash_mid_download(usb_backend)
    with open_printer("usb://0f49", usb_backend=usb_backend) as printer:
        result = printer.print_card(k_job("after-crash"))
    assert result.confirmed and result.card_number == 1
    [card] = vprinter.printed()
    assert card["job_id"] == "after-crash"
    assert card["sides"][0]["panels"]["k"]["inked_share"] == pytest.approx(
        301 * 201 / (1016 * 648), abs=1e-4
    )


def test_the_printer_keeps_its_parser_across_opens_and_resyncs_after_an_abort(
    usb_backend, vprinter, monkeypatch
):
    """Without the reset on opening, the printer answers with what the crashed host never
    read and takes our questions as pixels (it is the same printer, with the same half-read
    bitmap); the driver then resets it before asking anything else, and the card prints."""
    monkeypatch.setattr(UsbTransport, "_reset_on_open", lambda self: None)
    _crash_mid_download(usb_backend)
    with Printer(UsbTransport(0x0F49, backend=usb_backend), reply_timeout=0.3) as printer:
        with pytest.raises(PrinterError, match="Unexpected printer reply 'OK'"):
            printer.counters()  # the answer to the crashed host's Ss
        assert printer.print_card(k_job("after-reset")).confirmed
    assert [r["job_id"] for r in vprinter.printed()] == ["after-reset"]
