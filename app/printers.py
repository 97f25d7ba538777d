"""Configured printers, opened through the drivers.

A ``virtual://NAME`` printer lives inside the serving process (the demo's, and tests'): it is
started on first use with its output in the instance folder, and its options ride on the
address: ``virtual://kpt-1?cards=500&ribbon=1000&print_seconds=15&fault=jam@3``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import current_app

import drivers
from drivers.virtual import parse_fault
from drivers.virtual import registry as virtual_registry

VIRTUAL_OPTIONS = {"cards": int, "ribbon": int, "print_seconds": float, "fault": str}


def check_uri(uri: str) -> str:
    """The address, or `drivers.InvalidPrinterUriError` saying what is wrong with it."""
    parsed = drivers.parse_uri(uri)
    if parsed.scheme == "virtual":
        _virtual_options(uri)
    return uri.strip()


def _virtual_options(uri: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for key, values in parse_qs(urlsplit(uri).query).items():
        if key not in VIRTUAL_OPTIONS:
            raise drivers.InvalidPrinterUriError(
                f"unknown virtual printer option {key!r} (use {', '.join(VIRTUAL_OPTIONS)})")
        if key == "fault":
            try:
                options["faults"] = [parse_fault(v) for v in values]
            except ValueError as exc:
                raise drivers.InvalidPrinterUriError(str(exc)) from None
            continue
        try:
            options[key] = VIRTUAL_OPTIONS[key](values[-1])
        except ValueError:
            raise drivers.InvalidPrinterUriError(f"{key} must be a number in {uri!r}") from None
    return options


def virtual_out_dir(name: str) -> Path:
    return Path(current_app.instance_path) / "virtual-printers" / name


def _ensure_virtual(uri: str) -> None:
    parsed = drivers.parse_uri(uri)
    if parsed.scheme != "virtual" or parsed.name in virtual_registry.names():
        return
    out = virtual_out_dir(parsed.name)
    out.mkdir(parents=True, exist_ok=True)
    virtual_registry.register(parsed.name, out_dir=out, **_virtual_options(uri))


def open_printer(uri: str, **options: Any) -> drivers.Printer:
    _ensure_virtual(uri)
    return drivers.open_printer(uri, **options)


def probe(uri: str) -> tuple[drivers.PrinterStatus, dict[str, object]]:
    """Status and identity; never raises for a printer that is off or unreachable."""
    try:
        _ensure_virtual(uri)
    except drivers.PrinterError as exc:
        return drivers.PrinterStatus(online=False, reason=str(exc)), {}
    return drivers.probe(uri, timeout=3.0)
