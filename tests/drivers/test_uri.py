from __future__ import annotations

import pytest

from drivers import InvalidPrinterUriError, parse_uri


@pytest.mark.parametrize(
    ("text", "fields", "canonical"),
    [
        (
            "usb://0f49:5a01",
            {"vendor_id": 0x0F49, "product_id": 0x5A01, "serial": None},
            "usb://0f49:5a01",
        ),
        (
            "usb://0F49:0014?serial=A1B2",
            {"product_id": 0x14, "serial": "A1B2"},
            "usb://0f49:0014?serial=A1B2",
        ),
        ("usb://0f49", {"product_id": None}, "usb://0f49"),
        ("tcp://10.0.0.5:9100", {"host": "10.0.0.5", "port": 9100}, "tcp://10.0.0.5:9100"),
        ("tcp://printer.local", {"port": 9100}, "tcp://printer.local:9100"),
        (
            "file:///var/spool/card.evolis",
            {"path": "/var/spool/card.evolis"},
            "file:///var/spool/card.evolis",
        ),
        ("virtual://demo", {"name": "demo"}, "virtual://demo"),
    ],
)
def test_printer_addresses(text: str, fields: dict, canonical: str):
    uri = parse_uri(text)
    for key, value in fields.items():
        assert getattr(uri, key) == value
    assert str(uri) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "lpt://1",
        "usb://zz:01",
        "usb://0f49:123456",
        "tcp://:9100",
        "tcp://h:x",
        "file://rel/x",
        "virtual://",
        "",
    ],
)
def test_bad_addresses_say_which_forms_work(text: str):
    with pytest.raises(InvalidPrinterUriError, match="usb://0f49:PID"):
        parse_uri(text)
