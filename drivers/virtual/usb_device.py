"""The virtual printer as a USB device: descriptors, its state on the bus, libusb's errors.

Descriptors describe what a USB card printer presents: vendor 0x0f49, one configuration, one
printer-class interface (class 7, subclass 1, protocol 2 = bidirectional) with a bulk OUT and a
bulk IN endpoint, and string descriptors for maker, model and serial.
"""

from __future__ import annotations

import errno
import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from usb.core import USBError, USBTimeoutError

from drivers.evolis import replies
from drivers.uri import EVOLIS_VENDOR_ID
from drivers.virtual.device import VirtualPrinter
from drivers.virtual.session import Session, SessionClosed

VIRTUAL_PRODUCT_ID = 0x5A01
"""Product id of the virtual device; not a real Evolis model's."""
EP_OUT, EP_IN = 0x01, 0x82
LANGID_EN_US = 0x0409


def usb_error(kind: str) -> USBError:
    table = {
        "access": (-3, errno.EACCES, "Access denied (insufficient permissions)"),
        "busy": (-6, errno.EBUSY, "Resource busy"),
        "gone": (-4, errno.ENODEV, "No such device (it may have been disconnected)"),
        "not-found": (-5, errno.ENOENT, "Entity not found"),
        "pipe": (-9, errno.EPIPE, "Pipe error"),
    }
    code, number, text = table[kind]
    return USBError(text, code, number)


def usb_timeout() -> USBTimeoutError:
    return USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)


@dataclass
class Descriptor:
    """Any USB descriptor: pyusb reads the fields as attributes."""

    fields: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None


def device_descriptor(dev: VirtualUsbDevice) -> Descriptor:
    return Descriptor(
        {
            "bLength": 18,
            "bDescriptorType": 1,
            "bcdUSB": 0x0200,
            "bDeviceClass": 0,
            "bDeviceSubClass": 0,
            "bDeviceProtocol": 0,
            "bMaxPacketSize0": 64,
            "idVendor": EVOLIS_VENDOR_ID,
            "idProduct": dev.product_id,
            "bcdDevice": 0x0100,
            "iManufacturer": 1,
            "iProduct": 2,
            "iSerialNumber": 3,
            "bNumConfigurations": 1,
            "address": dev.address,
            "bus": 1,
            "port_number": 1,
            "port_numbers": (1,),
            "speed": 3,
        }
    )


CONFIGURATION = Descriptor(
    {
        "bLength": 9,
        "bDescriptorType": 2,
        "wTotalLength": 32,
        "bNumInterfaces": 1,
        "bConfigurationValue": 1,
        "iConfiguration": 0,
        "bmAttributes": 0xC0,
        "bMaxPower": 1,
        "extra_descriptors": [],
    }
)
PRINTER_INTERFACE = Descriptor(
    {
        "bLength": 9,
        "bDescriptorType": 4,
        "bInterfaceNumber": 0,
        "bAlternateSetting": 0,
        "bNumEndpoints": 2,
        "bInterfaceClass": 7,
        "bInterfaceSubClass": 1,
        "bInterfaceProtocol": 2,
        "iInterface": 0,
        "extra_descriptors": [],
    }
)
ENDPOINTS = tuple(
    Descriptor(
        {
            "bLength": 7,
            "bDescriptorType": 5,
            "bEndpointAddress": address,
            "bmAttributes": 2,
            "wMaxPacketSize": 512,
            "bInterval": 0,
            "bRefresh": 0,
            "bSynchAddress": 0,
            "extra_descriptors": [],
        }
    )
    for address in (EP_OUT, EP_IN)
)


@dataclass
class VirtualUsbDevice:
    """One plugged-in virtual printer and what the host side sees of it."""

    printer: VirtualPrinter
    product_id: int = VIRTUAL_PRODUCT_ID
    address: int = 5
    kernel_driver_bound: bool = True
    permission_denied: bool = False
    stalled: bool = False
    """Accept no data, so writes time out (a printer that has stopped taking data)."""
    claimed_by: Any = None
    configuration: int = 1
    unplugged: bool = False
    _session: Session | None = field(default=None, init=False, repr=False)
    _inbox: queue.Queue | None = field(default=None, init=False, repr=False)

    @property
    def present(self) -> bool:
        return not self.unplugged and "disconnect" not in self.printer.conditions

    def session(self) -> Session:
        """The printer's command parser. One per device, kept while the host closes and opens
        the device again (a crash, a time-out, the cable pulled and plugged back in), as a
        real printer keeps its own: a download cut off halfway still waits for its bytes
        until a SOFT_RESET. A new one only after the printer was disconnected (a fault)."""
        if self._session is None or self._session.closed:
            if self._inbox is not None:
                self._inbox.put(None)
            session = self.printer.connect()  # SessionClosed while disconnected
            inbox: queue.Queue = queue.Queue()
            threading.Thread(target=_feed, args=(session, inbox), name="virtual-usb",
                             daemon=True).start()
            self._session, self._inbox = session, inbox
        return self._session

    def receive(self, data: bytes) -> None:
        """Bulk OUT: what arrives goes to the printer in order, on the device's own thread."""
        assert self._inbox is not None
        self._inbox.put(data)

    def settle_input(self) -> None:
        """Wait until the printer has taken in everything sent so far."""
        if self._inbox is not None:
            self._inbox.join()

    def strings(self) -> dict[int, str]:
        return {1: "Evolis", 2: self.printer.model, 3: self.printer.serial}

    def device_id(self) -> bytes:
        return replies.device_id(
            {
                "MFG": "Evolis",
                "MDL": self.printer.model,
                "CMD": "ESC",
                "CLS": "PRINTER",
                "DES": f"{self.printer.model} card printer",
                "SN": self.printer.serial,
            }
        )

    def port_status(self) -> int:
        conditions = self.printer.conditions
        status = 0x10
        if not conditions - {"feeder-empty"}:
            status |= 0x08
        if "feeder-empty" in conditions or self.printer.cards_in_feeder <= 0:
            status |= 0x20
        return status


def _feed(session: Session, inbox: queue.Queue) -> None:
    while True:
        data = inbox.get()
        try:
            if data is None:
                return
            session.feed(data)
        except SessionClosed:
            pass  # the session reports itself closed: the host sees the device gone
        finally:
            inbox.task_done()


@dataclass
class Handle:
    """One opening of the device by the host."""

    device: VirtualUsbDevice
    session: Session
    closed: bool = False
