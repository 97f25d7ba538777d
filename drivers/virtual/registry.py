"""Process-wide named virtual printers, reached through ``virtual://name``."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from drivers.errors import PrinterNotFoundError
from drivers.virtual.device import VirtualPrinter

_printers: dict[str, VirtualPrinter] = {}
_lock = threading.Lock()


def register(name: str, printer: VirtualPrinter | None = None, **options: Any) -> VirtualPrinter:
    """Make ``virtual://name`` answer; builds a VirtualPrinter from ``options`` when none given
    (``out_dir``, ``cards``, ``ribbon``, ``print_seconds``, ``faults`` ...)."""
    if printer is None:
        out_dir = options.pop("out_dir", None)
        printer = VirtualPrinter(Path(out_dir) if out_dir else None, name=name, **options)
    with _lock:
        _printers[name] = printer
    return printer


def get(name: str) -> VirtualPrinter:
    with _lock:
        printer = _printers.get(name)
    if printer is None:
        raise PrinterNotFoundError(
            f"No virtual printer named {name!r} in this process "
            "(start one with drivers.virtual.registry.register)."
        )
    return printer


def unregister(name: str) -> None:
    with _lock:
        _printers.pop(name, None)


def names() -> list[str]:
    with _lock:
        return sorted(_printers)
