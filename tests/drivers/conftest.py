from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.virtual import VirtualPrinter, registry
from drivers.virtual.server import VirtualPrinterServer
from drivers.virtual.usb_backend import VirtualUsbBackend, VirtualUsbDevice

DATA = Path(__file__).parent / "data"
CAPTURES = {
    "card-black.evolis": 0.997,
    "card-white.evolis": 0.006,
    "card-gradient.evolis": 0.627,
}


@pytest.fixture
def vprinter(tmp_path: Path) -> VirtualPrinter:
    return VirtualPrinter(tmp_path / "out", name="test", cards=50, ribbon=200)


@pytest.fixture
def in_process(vprinter: VirtualPrinter) -> Iterator[str]:
    name = f"test-{id(vprinter)}"
    registry.register(name, vprinter)
    yield f"virtual://{name}"
    registry.unregister(name)


@pytest.fixture
def tcp_server(vprinter: VirtualPrinter) -> Iterator[VirtualPrinterServer]:
    with VirtualPrinterServer(vprinter, port=0) as server:
        yield server


@pytest.fixture
def usb_device(vprinter: VirtualPrinter) -> VirtualUsbDevice:
    return VirtualUsbDevice(vprinter)


@pytest.fixture
def usb_backend(usb_device: VirtualUsbDevice) -> VirtualUsbBackend:
    return VirtualUsbBackend(usb_device)


@pytest.fixture(params=["virtual", "tcp", "usb"])
def connect(request: pytest.FixtureRequest, vprinter: VirtualPrinter):
    """Open a Printer on the test's virtual printer through each of the three ways in."""
    from drivers import open_printer

    kind = request.param
    if kind == "virtual":
        uri = request.getfixturevalue("in_process")
        return lambda **kw: open_printer(uri, **kw)
    if kind == "tcp":
        server = request.getfixturevalue("tcp_server")
        return lambda **kw: open_printer(server.uri, **kw)
    backend = request.getfixturevalue("usb_backend")
    return lambda **kw: open_printer("usb://0f49:5a01", usb_backend=backend, **kw)
