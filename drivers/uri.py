"""Printer addresses: one string in the configuration picks transport and device."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from drivers.errors import InvalidPrinterUriError

EVOLIS_VENDOR_ID = 0x0F49
DEFAULT_TCP_PORT = 9100
# A virtual printer's name is also the name of its folder: no path separators, never ``..``.
_VIRTUAL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class PrinterUri:
    scheme: str
    vendor_id: int | None = None
    product_id: int | None = None
    serial: str | None = None
    host: str | None = None
    port: int | None = None
    path: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        if self.scheme == "usb":
            text = f"usb://{self.vendor_id:04x}"
            if self.product_id is not None:
                text += f":{self.product_id:04x}"
            return text + (f"?serial={self.serial}" if self.serial else "")
        if self.scheme == "tcp":
            return f"tcp://{self.host}:{self.port}"
        if self.scheme == "file":
            return f"file://{self.path}"
        return f"virtual://{self.name}"


def parse_uri(uri: str) -> PrinterUri:
    """Parse ``usb://0f49:PID[?serial=SN]``, ``tcp://HOST[:PORT]``, ``file:///PATH``,
    ``virtual://NAME``; raise InvalidPrinterUriError with the accepted forms otherwise."""
    parts = urlsplit(uri.strip())
    scheme = parts.scheme.lower()
    if scheme == "usb":
        return _usb(parts.netloc, parse_qs(parts.query), uri)
    if scheme == "tcp":
        try:
            port = parts.port or DEFAULT_TCP_PORT
        except ValueError as exc:
            raise InvalidPrinterUriError(f"bad port in {uri!r}.") from exc
        if not parts.hostname:
            raise InvalidPrinterUriError(f"no host in {uri!r}.")
        return PrinterUri("tcp", host=parts.hostname, port=port)
    if scheme == "file":
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/"):
            raise InvalidPrinterUriError(f"{uri!r} needs an absolute path: file:///dir/out.evolis.")
        return PrinterUri("file", path=path)
    if scheme == "virtual":
        name = parts.netloc or parts.path.strip("/")
        if not name:
            raise InvalidPrinterUriError(f"no printer name in {uri!r}.")
        if not _VIRTUAL_NAME.match(name):
            raise InvalidPrinterUriError(
                f"virtual printer name {name!r} in {uri!r} names a folder: 1-64 letters, "
                "digits, . _ - starting with a letter or digit.")
        return PrinterUri("virtual", name=name)
    raise InvalidPrinterUriError(f"unknown printer address {uri!r}.")


def _usb(netloc: str, query: dict[str, list[str]], uri: str) -> PrinterUri:
    vendor_text, _, product_text = netloc.partition(":")
    try:
        vendor = int(vendor_text, 16)
        product = int(product_text, 16) if product_text else None
    except ValueError as exc:
        raise InvalidPrinterUriError(f"vendor and product ids in {uri!r} must be hex.") from exc
    if not 0 <= vendor <= 0xFFFF or (product is not None and not 0 <= product <= 0xFFFF):
        raise InvalidPrinterUriError(f"USB ids in {uri!r} are 4 hex digits.")
    serial = query.get("serial", [None])[0]
    return PrinterUri("usb", vendor_id=vendor, product_id=product, serial=serial)
