"""Fidelity: what Evolis's own driver sent to a real printer prints as the card it describes."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from drivers import open_printer
from drivers.evolis import raster
from drivers.evolis.decoder import StreamParser
from drivers.virtual import VirtualPrinter
from tests.drivers.conftest import CAPTURES, DATA


@pytest.mark.parametrize(("name", "share"), CAPTURES.items())
def test_capture_is_accepted_and_printed(vprinter: VirtualPrinter, name: str, share: float):
    stream = (DATA / name).read_bytes()
    session = vprinter.connect()
    for i in range(0, len(stream), 4096):
        session.feed(stream[i : i + 4096])
    replies = session.take().decode().split("\r")[:-1]
    assert replies == ["OK"] * 10
    [card] = vprinter.printed()
    assert card["ribbon"] == "k"
    [front] = card["sides"]
    assert front["panels"]["k"]["inked_share"] == pytest.approx(share, abs=0.0015)
    png = np.asarray(Image.open(vprinter.log.folder / front["png"]).convert("L"))
    assert png.shape == (638, 1011)  # the card as it comes out: the bleed is cut off
    panel = next(c for c in StreamParser().feed(stream) if c.name == "Dbc")
    ink = raster.to_landscape(raster.unpack_bits(raster.decompress_lines(panel.data)))
    assert np.array_equal(png, np.where(ink[5:643, 2:1013], 0, 255))
    assert vprinter.cards_inserted == 1


@pytest.mark.parametrize("name", CAPTURES)
def test_our_line_compression_reproduces_the_captured_bytes(name: str):
    stream = (DATA / name).read_bytes()
    panel = next(c for c in StreamParser().feed(stream) if c.name == "Dbc")
    assert raster.compress_lines(raster.decompress_lines(panel.data)) == panel.data


def test_capture_over_tcp_as_one_raw_stream(tcp_server, vprinter: VirtualPrinter):
    import socket

    stream = (DATA / "card-gradient.evolis").read_bytes()
    with socket.create_connection(tcp_server.address) as sock:
        sock.sendall(stream)
        received = b""
        while received.count(b"\r") < 10:
            received += sock.recv(4096)
    assert received == b"OK\r" * 10
    assert len(vprinter.printed()) == 1


def test_printing_a_capture_panel_through_the_driver_gives_the_same_card(in_process, vprinter):
    from drivers import CardJob, EncodeOptions, SidePanels

    stream = (DATA / "card-gradient.evolis").read_bytes()
    panel = next(c for c in StreamParser().feed(stream) if c.name == "Dbc")
    ink = raster.to_landscape(raster.unpack_bits(raster.decompress_lines(panel.data)))
    k = Image.fromarray(~ink).convert("1")
    with open_printer(in_process, ribbon="k") as printer:
        printer.print_card(CardJob("replay", SidePanels(k=k)))
    assert vprinter.printed()[0]["sides"][0]["panels"]["k"]["inked_share"] == pytest.approx(
        0.627, abs=0.0015
    )
    ours = raster.compress_lines(raster.pack_bits(raster.to_portrait(ink)))
    assert ours == panel.data
    assert EncodeOptions(ribbon="k").compress
