"""A card job becomes the stream Evolis's own driver would send."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from drivers import CARD_SIZE, CardJob, EncodeOptions, InvalidJobError, SidePanels
from drivers.evolis import raster
from drivers.evolis.decoder import Command, StreamParser
from drivers.evolis.encoder import encode_card, encode_stream
from tests.drivers.cards import ktp_job


def names(frames: list[bytes]) -> list[str]:
    items = StreamParser().feed(b"".join(frames))
    return [";".join((c.name, *c.params)) for c in items if isinstance(c, Command)]


def blank_k() -> Image.Image:
    return Image.new("1", CARD_SIZE, 1)


def test_white_k_card_golden_bytes():
    stream = encode_stream(CardJob("j", SidePanels(k=blank_k())), EncodeOptions(ribbon="k"))
    assert stream == (
        b"\x1bPr;k\r\x1bPmi;F;s\r\x1bSs\r\x1bSr\r"
        + b"\x1bDbc;k;2;1016;"
        + b"\x00" * 1016
        + b"\r"
        + b"\x1bSe\r"
    )


def test_one_black_pixel_lands_rotated_in_the_compressed_line():
    k = blank_k()
    k.putpixel((0, 0), 0)  # landscape top-left -> portrait line 0, last pixel
    frames = encode_card(CardJob("j", SidePanels(k=k)), EncodeOptions(ribbon="k"))
    body = frames[4][len(b"\x1bDbc;k;2;1097;") : -1]
    assert frames[4].startswith(b"\x1bDbc;k;2;1097;")
    assert body[:82] == b"\x51" + b"\x00" * 80 + b"\x01"
    assert body[82:] == b"\x00" * 1015


def test_uncompressed_k_is_the_plain_bitmap():
    frames = encode_card(
        CardJob("j", SidePanels(k=blank_k())), EncodeOptions(ribbon="k", compress=False)
    )
    assert frames[4] == b"\x1bDb;k;2;" + bytes(82296) + b"\r"


@pytest.mark.parametrize(
    ("ribbon", "back", "expected"),
    [
        (
            "ymcko",
            False,
            [
                "Pr;ymcko",
                "Pmi;F;s",
                "Ss",
                "Sr",
                "Db;y;32",
                "Db;m;32",
                "Db;c;32",
                "Dbc;k;2",
                "Dbc;o;2",
                "Se",
            ],
        ),
        ("k", True, ["Pr;k", "Pmi;F;s", "Ss", "Sr", "Dbc;k;2", "Sv", "Dbc;k;2", "Se"]),
        ("ko", False, ["Pr;ko", "Pmi;F;s", "Ss", "Sr", "Dbc;k;2", "Dbc;o;2", "Se"]),
        (
            "ymckok",
            True,
            [
                "Pr;ymckok",
                "Pmi;F;s",
                "Ss",
                "Sr",
                "Db;y;32",
                "Db;m;32",
                "Db;c;32",
                "Dbc;k;2",
                "Dbc;o;2",
                "Sv",
                "Dbc;k;2",
                "Se",
            ],
        ),
    ],
)
def test_panel_order_per_ribbon(ribbon: str, back: bool, expected: list[str]):
    frames = encode_card(ktp_job(back=back), EncodeOptions(ribbon=ribbon))
    got = [n.rsplit(";", 1)[0] if n.startswith("Dbc") else n for n in names(frames)]
    assert got == expected


def test_dyes_are_255_minus_the_opposite_channel_quantised():
    colour = Image.new("RGB", CARD_SIZE, (255, 255, 255))
    ImageDraw.Draw(colour).rectangle((0, 0, 9, 9), fill=(255, 128, 0))  # orange corner
    frames = encode_card(CardJob("j", SidePanels(colour=colour)), EncodeOptions(colour_levels=64))
    panels = {
        c.params[0]: c for c in StreamParser().feed(b"".join(frames)) if c.name.startswith("Db")
    }
    y = raster.unpack_levels(panels["y"].data, 6)
    m = raster.unpack_levels(panels["m"].data, 6)
    c = raster.unpack_levels(panels["c"].data, 6)
    corner = (slice(0, 10), slice(638, 648))  # landscape top-left, portrait top-right
    assert (y[corner] == 63).all() and (m[corner] == 31).all() and (c[corner] == 0).all()
    assert y.sum() == 63 * 100 and c.sum() == 0


def test_missing_overlay_means_full_varnish_and_given_overlay_is_a_mask():
    job = CardJob("j", SidePanels(k=blank_k()))
    frames = encode_card(job, EncodeOptions(ribbon="ko"))
    overlay = next(c for c in StreamParser().feed(b"".join(frames)) if c.params[:1] == ("o",))
    assert overlay.data == b"\xff" * 1016
    mask = Image.new("1", CARD_SIZE, 1)
    ImageDraw.Draw(mask).rectangle((0, 0, 1015, 323), fill=0)  # varnish the top half only
    frames = encode_card(CardJob("j", SidePanels(overlay=mask)), EncodeOptions(ribbon="ko"))
    overlay = next(c for c in StreamParser().feed(b"".join(frames)) if c.params[:1] == ("o",))
    ink = raster.unpack_bits(raster.decompress_lines(overlay.data))
    assert ink.mean() == pytest.approx(0.5)
    assert ink[:, 324:].all() and not ink[:, :324].any()


@pytest.mark.parametrize(
    "build",
    [
        lambda: SidePanels(k=Image.new("1", (1011, 638), 1)),
        lambda: SidePanels(k=Image.new("L", CARD_SIZE, 255)),
        lambda: SidePanels(colour=Image.new("RGBA", CARD_SIZE)),
        lambda: CardJob("", SidePanels()),
        lambda: CardJob("a;b", SidePanels()),
        lambda: CardJob("x" * 65, SidePanels()),
        lambda: EncodeOptions(ribbon="rainbow"),
        lambda: EncodeOptions(colour_levels=16),
    ],
)
def test_invalid_jobs_are_refused_before_anything_is_sent(build):
    with pytest.raises(InvalidJobError):
        build()


def test_encoding_is_deterministic_and_decodes_back_to_the_panels():
    job = ktp_job()
    assert encode_stream(job) == encode_stream(job)
    k = next(c for c in StreamParser().feed(encode_stream(job)) if c.params[:1] == ("k",))
    ink = raster.to_landscape(raster.unpack_bits(raster.decompress_lines(k.data)))
    assert np.array_equal(ink, ~np.asarray(job.front.k, dtype=bool))
