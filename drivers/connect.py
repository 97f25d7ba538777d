"""Printers by address: the few calls the CLI, the API and the batch worker need."""

from __future__ import annotations

from typing import Any

from drivers.errors import OneWayPrinterError, PrinterError
from drivers.evolis.encoder import EncodeOptions
from drivers.evolis.printer import Printer
from drivers.status import PrinterStatus
from drivers.transports import make_transport
from drivers.uri import parse_uri


def open_printer(
    uri: str,
    *,
    ribbon: str = "ymcko",
    colour_levels: int = 32,
    compress: bool = True,
    usb_backend: Any = None,
    timeout: float = 10.0,
    print_timeout: float = 180.0,
    busy_wait: float = 30.0,
) -> Printer:
    """A printer for ``uri`` (not yet opened: use ``with open_printer(uri) as printer:``).

    ``usb_backend``: a pyusb backend to use instead of libusb (the virtual USB printer).
    ``print_timeout``: seconds to wait for the card to come out after ``Se``.
    ``busy_wait``: seconds a card found inside the printer may take to come out (another
    connection printing) before it counts as jammed.
    """
    transport = make_transport(parse_uri(uri), usb_backend=usb_backend, timeout=timeout)
    options = EncodeOptions(ribbon=ribbon, colour_levels=colour_levels, compress=compress)
    return Printer(transport, options=options, print_timeout=print_timeout, busy_wait=busy_wait)


def probe(uri: str, **options: Any) -> tuple[PrinterStatus, dict[str, object]]:
    """Status and identity for lists and ``ktp printers status``; never raises for a printer
    that is off or unreachable (the status says offline and why)."""
    try:
        with open_printer(uri, **options) as printer:
            identity = printer.identity().as_dict()
            return printer.status(), identity
    except OneWayPrinterError:
        return PrinterStatus(online=True, reason="writes to a file; no status to read"), {}
    except PrinterError as exc:
        return PrinterStatus(online=False, reason=str(exc)), {}
