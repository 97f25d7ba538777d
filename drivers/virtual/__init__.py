"""A virtual Evolis-protocol card printer: the same bytes a real one receives, parsed and
"printed" to PNG. One implementation, three ways in: in-process (``virtual://name``), a pyusb
backend (``usb_backend``), and a TCP server (``server.serve``)."""

from drivers.virtual.device import VirtualPrinter
from drivers.virtual.faults import FAULT_KINDS, Fault, parse_fault

__all__ = ["FAULT_KINDS", "Fault", "VirtualPrinter", "parse_fault"]
