"""``usb://0f49:PID[?serial=SN]``: a USB printer-class interface through pyusb.

Field failures this module turns into operator messages: no libusb backend, permission denied
(udev), resource busy (the kernel's usblp driver or another program holds the interface), device
not found, time-outs on large writes (so data goes out in chunks), and the printer unplugged
mid-job.
"""

from __future__ import annotations

import array
import errno
from typing import Any

from drivers import errors
from drivers.evolis.replies import parse_device_id
from drivers.transports import Transport

PRINTER_CLASS = 7
GET_DEVICE_ID, GET_PORT_STATUS, SOFT_RESET = 0, 1, 2
CLASS_IN, CLASS_OUT = 0xA1, 0x21
CHUNK = 16 * 1024
READ_SIZE = 4096


def _import_usb() -> Any:
    try:
        import usb.core
        import usb.util
    except ImportError as exc:
        raise errors.NoUsbBackendError("pyusb is not installed (pip install pyusb).") from exc
    return usb


def usb_error(exc: Exception, doing: str, *, during_job: bool = False) -> errors.PrinterError:
    """Map a pyusb USBError to the typed error an operator can act on."""
    usb = _import_usb()
    consumed = None if during_job else False
    code = getattr(exc, "errno", None)
    if isinstance(exc, usb.core.USBTimeoutError) or code == errno.ETIMEDOUT:
        return errors.PrinterTimeoutError(
            f"USB printer timed out while {doing}.", card_consumed=consumed
        )
    if code in (errno.EACCES, errno.EPERM):
        return errors.PrinterPermissionError(f"Permission denied while {doing}.")
    if code == errno.EBUSY:
        return errors.PrinterBusyError(f"The USB printer is busy ({doing}).")
    if code in (errno.ENODEV, errno.ENOENT, errno.EIO, errno.EPIPE):
        return errors.PrinterDisconnectedError(
            f"The USB printer went away while {doing} ({exc}).", card_consumed=consumed
        )
    return errors.PrinterOfflineError(f"USB error while {doing}: {exc}.", card_consumed=consumed)


class UsbTransport(Transport):
    def __init__(
        self,
        vendor_id: int,
        product_id: int | None = None,
        serial: str | None = None,
        *,
        backend: Any = None,
        timeout: float = 10.0,
    ) -> None:
        self.vendor_id, self.product_id, self.serial = vendor_id, product_id, serial
        self.backend, self.timeout = backend, timeout
        pid = f":{product_id:04x}" if product_id is not None else ""
        self.description = f"usb://{vendor_id:04x}{pid}" + (f"?serial={serial}" if serial else "")
        self._dev: Any = None
        self._interface: Any = None
        self._ep_out: Any = None
        self._ep_in: Any = None
        self._reattach = False

    def open(self) -> None:
        usb = _import_usb()
        match = {"idVendor": self.vendor_id}
        if self.product_id is not None:
            match["idProduct"] = self.product_id
        try:
            found = list(usb.core.find(find_all=True, backend=self.backend, **match))
        except usb.core.NoBackendError as exc:
            raise errors.NoUsbBackendError("pyusb found no libusb backend.") from exc
        self._dev = self._pick(found)
        try:
            self._claim(usb)
        except Exception:
            usb.util.dispose_resources(self._dev)
            self._dev = None
            raise
        self._reset_on_open()

    def _reset_on_open(self) -> None:
        """A printer keeps its parser across opens: after a host crash, a time-out or a cable
        pulled mid-bitmap it may still wait for the rest of a download and would take our
        next commands as pixels. SOFT_RESET (USB printer class) flushes its input first, and
        bulk IN is read dry of replies nobody collected. A printer that refuses the request
        (a stalled control pipe) is still usable: the next exchange reports real trouble."""
        try:
            self.soft_reset()
            while self.read(READ_SIZE, 0.01):
                pass
        except errors.PrinterError:
            pass

    def _pick(self, found: list[Any]) -> Any:
        usb = _import_usb()
        denied = False
        for dev in found:
            if self.serial is None:
                return dev
            try:
                if dev.serial_number == self.serial:
                    return dev
            except ValueError:
                denied = True  # pyusb: "The device has no langid (permission issue ...)"
            except usb.core.USBError as exc:
                if getattr(exc, "errno", None) in (errno.EACCES, errno.EPERM):
                    denied = True
        if denied:
            raise errors.PrinterPermissionError(
                f"Cannot read the serial numbers of the USB printers for {self.description}."
            )
        seen = ", ".join(f"{d.idVendor:04x}:{d.idProduct:04x}" for d in found) or "none"
        raise errors.PrinterNotFoundError(
            f"No USB printer matches {self.description} (matching devices: {seen})."
        )

    def _claim(self, usb: Any) -> None:
        dev = self._dev
        try:
            config, interface = self._printer_interface()
            number = interface.bInterfaceNumber
            try:
                if dev.is_kernel_driver_active(number):
                    dev.detach_kernel_driver(number)
                    self._reattach = True
            except NotImplementedError:
                pass
            try:
                active = dev.get_active_configuration()
            except usb.core.USBError:
                active = None
            if active is None or active.bConfigurationValue != config.bConfigurationValue:
                dev.set_configuration(config.bConfigurationValue)
            usb.util.claim_interface(dev, number)
        except usb.core.USBError as exc:
            raise usb_error(exc, "opening the printer") from exc
        self._interface = interface
        self._ep_out = self._endpoint(usb, usb.util.ENDPOINT_OUT)
        self._ep_in = self._endpoint(usb, usb.util.ENDPOINT_IN)

    def _printer_interface(self) -> tuple[Any, Any]:
        for config in self._dev:
            for interface in config:
                if interface.bInterfaceClass == PRINTER_CLASS:
                    return config, interface
        raise errors.PrinterNotFoundError(f"{self.description} has no USB printer interface.")

    def _endpoint(self, usb: Any, direction: int) -> Any:
        def wanted(ep: Any) -> bool:
            return (
                usb.util.endpoint_direction(ep.bEndpointAddress) == direction
                and usb.util.endpoint_type(ep.bmAttributes) == usb.util.ENDPOINT_TYPE_BULK
            )

        endpoint = usb.util.find_descriptor(self._interface, custom_match=wanted)
        if endpoint is None and direction == usb.util.ENDPOINT_OUT:
            raise errors.PrinterNotFoundError(f"{self.description} has no bulk OUT endpoint.")
        return endpoint

    def close(self) -> None:
        if self._dev is None:
            return
        usb = _import_usb()
        number = self._interface.bInterfaceNumber if self._interface is not None else 0
        try:
            usb.util.release_interface(self._dev, number)
            if self._reattach:
                self._dev.attach_kernel_driver(number)
        except (usb.core.USBError, NotImplementedError):
            pass
        usb.util.dispose_resources(self._dev)
        self._dev = self._interface = self._ep_out = self._ep_in = None
        self._reattach = False

    def _require_open(self) -> None:
        if self._dev is None:
            raise errors.PrinterDisconnectedError(
                f"{self.description} is not open.", card_consumed=None
            )

    def write(self, data: bytes) -> None:
        self._require_open()
        usb = _import_usb()
        timeout_ms = int(self.timeout * 1000)
        view = memoryview(data)
        for offset in range(0, len(data), CHUNK):
            chunk = array.array("B")
            chunk.frombytes(view[offset : offset + CHUNK])
            try:
                self._ep_out.write(chunk, timeout=timeout_ms)
            except usb.core.USBError as exc:
                raise usb_error(exc, "sending data", during_job=True) from exc

    def read(self, size: int = READ_SIZE, timeout: float = 1.0) -> bytes:
        self._require_open()
        if self._ep_in is None:
            raise errors.OneWayPrinterError(f"{self.description} has no bulk IN endpoint.")
        usb = _import_usb()
        try:
            return bytes(self._ep_in.read(size, timeout=max(1, int(timeout * 1000))))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            raise usb_error(exc, "reading the reply", during_job=True) from exc

    def _class_request(self, request_type: int, request: int, value: int, length: Any) -> Any:
        self._require_open()
        usb = _import_usb()
        index = self._interface.bInterfaceNumber << 8 | self._interface.bAlternateSetting
        if request != GET_DEVICE_ID:
            index = self._interface.bInterfaceNumber
        try:
            return self._dev.ctrl_transfer(request_type, request, value, index, length)
        except usb.core.USBError as exc:
            raise usb_error(exc, "asking the printer class status") from exc

    def device_id(self) -> dict[str, str]:
        """GET_DEVICE_ID: the IEEE 1284 id string (MFG, MDL, CMD ...)."""
        raw = self._class_request(CLASS_IN, GET_DEVICE_ID, 0, 1024)
        return parse_device_id(bytes(raw))

    def port_status(self) -> int:
        """GET_PORT_STATUS: 0x08 not-error, 0x10 selected, 0x20 paper (card) empty."""
        return int(self._class_request(CLASS_IN, GET_PORT_STATUS, 0, 1)[0])

    def soft_reset(self) -> None:
        """SOFT_RESET: flush the printer's input buffers after an interrupted job."""
        self._class_request(CLASS_OUT, SOFT_RESET, 0, None)

    def resync(self) -> None:
        self.soft_reset()
