"""Byte pipes to a printer. A transport only opens, closes, writes and reads (the python-escpos
and brother_ql split); the printer language lives in ``drivers.evolis``."""

from __future__ import annotations

from typing import Any

from drivers.errors import OneWayPrinterError
from drivers.uri import PrinterUri, parse_uri


class Transport:
    """Base transport. ``read`` returns b"" when nothing arrives within ``timeout`` seconds."""

    bidirectional = True
    description = "printer"

    def open(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def read(self, size: int = 4096, timeout: float = 1.0) -> bytes:
        raise OneWayPrinterError(f"{self.description} cannot answer.")

    def device_id(self) -> dict[str, str]:
        """IEEE 1284 device id, where the link has one (USB printer class)."""
        return {}

    def resync(self) -> None:
        """Bring the printer's command parser back to the start of a command after an
        interrupted exchange, where the link has a way to (USB's SOFT_RESET). A new TCP
        connection is a new conversation already; a file has no parser."""

    def __enter__(self) -> Transport:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_transport(uri: str | PrinterUri, **options: Any) -> Transport:
    """The (unopened) transport a printer address names.

    ``options`` go to the transport: ``usb_backend`` (a pyusb backend, e.g. the virtual one),
    ``timeout`` (seconds for connecting and writing).
    """
    parsed = parse_uri(uri) if isinstance(uri, str) else uri
    timeout = options.get("timeout", 10.0)
    if parsed.scheme == "usb":
        from drivers.transports.usb import UsbTransport

        return UsbTransport(
            parsed.vendor_id or 0,
            parsed.product_id,
            parsed.serial,
            backend=options.get("usb_backend"),
            timeout=timeout,
        )
    if parsed.scheme == "tcp":
        from drivers.transports.tcp import TcpTransport

        return TcpTransport(parsed.host or "", parsed.port or 0, timeout=timeout)
    if parsed.scheme == "file":
        from drivers.transports.file import FileTransport

        return FileTransport(parsed.path or "")
    from drivers.transports.virtual import VirtualTransport

    return VirtualTransport(parsed.name or "")
