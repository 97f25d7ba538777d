"""The virtual printer as a pyusb backend, so the real USB transport code runs against it.

``usb.core.find(backend=VirtualUsbBackend(printer))`` finds the device of ``usb_device`` and
serves control requests (string descriptors, the printer class's GET_DEVICE_ID, GET_PORT_STATUS,
SOFT_RESET) and bulk transfers. Errors are raised as libusb raises them through pyusb (errno
EACCES, EBUSY, ENODEV, ETIMEDOUT), and the device can pretend the kernel's usblp driver is bound.
"""

from __future__ import annotations

import time
from typing import Any

import usb.backend

from drivers.virtual.device import VirtualPrinter
from drivers.virtual.session import SessionClosed
from drivers.virtual.usb_device import (
    CONFIGURATION,
    ENDPOINTS,
    EP_IN,
    EP_OUT,
    LANGID_EN_US,
    PRINTER_INTERFACE,
    VIRTUAL_PRODUCT_ID,
    Descriptor,
    Handle,
    VirtualUsbDevice,
    device_descriptor,
    usb_error,
    usb_timeout,
)

__all__ = ["VIRTUAL_PRODUCT_ID", "VirtualUsbBackend", "VirtualUsbDevice"]


class VirtualUsbBackend(usb.backend.IBackend):
    def __init__(self, *devices: VirtualUsbDevice | VirtualPrinter) -> None:
        self.devices = [
            d if isinstance(d, VirtualUsbDevice) else VirtualUsbDevice(d) for d in devices
        ]

    def enumerate_devices(self) -> Any:
        return [d for d in self.devices if d.present]

    def get_parent(self, dev: VirtualUsbDevice) -> None:
        return None

    def get_device_descriptor(self, dev: VirtualUsbDevice) -> Descriptor:
        return device_descriptor(dev)

    def get_configuration_descriptor(self, dev: VirtualUsbDevice, config: int) -> Descriptor:
        if config != 0:
            raise IndexError("configuration index out of range")
        return CONFIGURATION

    def get_interface_descriptor(self, dev: Any, intf: int, alt: int, config: int) -> Descriptor:
        if (intf, alt, config) != (0, 0, 0):
            raise IndexError("interface index out of range")
        return PRINTER_INTERFACE

    def get_endpoint_descriptor(
        self, dev: Any, ep: int, intf: int, alt: int, config: int
    ) -> Descriptor:
        if (intf, alt, config) != (0, 0, 0) or ep not in (0, 1):
            raise IndexError("endpoint index out of range")
        return ENDPOINTS[ep]

    def open_device(self, dev: VirtualUsbDevice) -> Handle:
        if not dev.present:
            raise usb_error("gone")
        if dev.permission_denied:
            raise usb_error("access")
        try:
            session = dev.session()
        except SessionClosed:
            raise usb_error("gone") from None
        return Handle(dev, session)

    def close_device(self, handle: Handle) -> None:
        """The host lets go; the printer (its parser, what it has not answered yet) stays."""
        handle.closed = True
        if handle.device.claimed_by is handle:
            handle.device.claimed_by = None

    def _live(self, handle: Handle) -> VirtualUsbDevice:
        if handle.closed or not handle.device.present or handle.session.closed:
            raise usb_error("gone")
        return handle.device

    def set_configuration(self, handle: Handle, config_value: int) -> None:
        dev = self._live(handle)
        if dev.kernel_driver_bound or (dev.claimed_by not in (None, handle)):
            raise usb_error("busy")
        dev.configuration = config_value

    def get_configuration(self, handle: Handle) -> int:
        return self._live(handle).configuration

    def set_interface_altsetting(self, handle: Handle, intf: int, altsetting: int) -> None:
        self._live(handle)

    def claim_interface(self, handle: Handle, intf: int) -> None:
        dev = self._live(handle)
        if dev.kernel_driver_bound or dev.claimed_by not in (None, handle):
            raise usb_error("busy")
        dev.claimed_by = handle

    def release_interface(self, handle: Handle, intf: int) -> None:
        if handle.device.claimed_by is handle:
            handle.device.claimed_by = None

    def is_kernel_driver_active(self, handle: Handle, intf: int) -> bool:
        return self._live(handle).kernel_driver_bound

    def detach_kernel_driver(self, handle: Handle, intf: int) -> None:
        dev = self._live(handle)
        if not dev.kernel_driver_bound:
            raise usb_error("not-found")
        dev.kernel_driver_bound = False

    def attach_kernel_driver(self, handle: Handle, intf: int) -> None:
        dev = self._live(handle)
        if dev.claimed_by is not None:
            raise usb_error("busy")
        dev.kernel_driver_bound = True

    def bulk_write(self, handle: Handle, ep: int, intf: int, data: Any, timeout: int) -> int:
        dev = self._live(handle)
        if ep != EP_OUT or dev.claimed_by is not handle:
            raise usb_error("pipe")
        if dev.stalled:
            time.sleep(timeout / 1000)
            raise usb_timeout()
        dev.receive(bytes(data))
        return len(data)

    def bulk_read(self, handle: Handle, ep: int, intf: int, buff: Any, timeout: int) -> int:
        dev = self._live(handle)
        if ep != EP_IN or dev.claimed_by is not handle:
            raise usb_error("pipe")
        deadline = time.monotonic() + (timeout / 1000 if timeout else 3600.0)
        while True:
            try:
                data = handle.session.read(
                    len(buff), min(0.05, max(0.0, deadline - time.monotonic()))
                )
            except SessionClosed:
                raise usb_error("gone") from None
            if data:
                buff[: len(data)] = type(buff)(buff.typecode, data)
                return len(data)
            self._live(handle)
            if time.monotonic() >= deadline:
                raise usb_timeout()

    def ctrl_transfer(
        self,
        handle: Handle,
        bmRequestType: int,
        bRequest: int,
        wValue: int,
        wIndex: int,
        data: Any,
        timeout: int,
    ) -> int:
        dev = self._live(handle)
        if bmRequestType == 0x80 and bRequest == 6 and wValue >> 8 == 3:
            return self._string(dev, wValue & 0xFF, data)
        if bmRequestType == 0xA1 and bRequest == 0:
            return self._fill(data, dev.device_id())
        if bmRequestType == 0xA1 and bRequest == 1:
            return self._fill(data, bytes([dev.port_status()]))
        if bmRequestType == 0x21 and bRequest == 2:
            dev.settle_input()
            handle.session.reset()
            return 0
        raise usb_error("pipe")

    def _string(self, dev: VirtualUsbDevice, index: int, data: Any) -> int:
        if index == 0:
            return self._fill(data, bytes([4, 3]) + LANGID_EN_US.to_bytes(2, "little"))
        text = dev.strings().get(index)
        if text is None:
            raise usb_error("pipe")
        encoded = text.encode("utf-16-le")
        return self._fill(data, bytes([len(encoded) + 2, 3]) + encoded)

    @staticmethod
    def _fill(buffer: Any, payload: bytes) -> int:
        count = min(len(buffer), len(payload))
        buffer[:count] = type(buffer)(buffer.typecode, payload[:count])
        return count

    def clear_halt(self, handle: Handle, ep: int) -> None:
        self._live(handle)

    def reset_device(self, handle: Handle) -> None:
        handle.device.settle_input()
        handle.session.reset()
