"""The virtual printer's picture of a side: dyes subtract from white, resin black on top."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from drivers.virtual.output import Panel, Side, compose, save_png


def _levels(seed: int, levels: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, levels, size=(648, 1016), dtype=np.uint8)


@pytest.mark.parametrize("levels", [32, 64, 128])
def test_dyes_leave_their_light_and_black_covers_them(levels: int):
    black = np.random.default_rng(9).integers(0, 2, size=(648, 1016)).astype(bool)
    dyes = {name: _levels(seed, levels) for seed, name in enumerate("cmy")}
    side = Side("front", {n: Panel(levels, v) for n, v in dyes.items()} | {"k": Panel(2, black)})
    rgb = compose(side)
    for channel, name in enumerate("cmy"):
        light = np.round(255 - dyes[name].astype(int) * 255 / (levels - 1)).astype(np.uint8)
        assert np.array_equal(rgb[..., channel], np.where(black, 0, light))


def test_missing_dye_leaves_white_and_a_side_without_dye_is_grey(tmp_path):
    black = np.zeros((648, 1016), dtype=bool)
    black[10, 20] = True
    rgb = compose(Side("front", {"y": Panel(32, _levels(1, 32)), "k": Panel(2, black)}))
    assert (rgb[..., 0] == 255).sum() == rgb[..., 0].size - 1 and rgb[10, 20, 0] == 0
    grey = Side("back", {"k": Panel(2, black), "o": Panel(2, ~black)})
    save_png(grey, tmp_path / "back.png")
    image = Image.open(tmp_path / "back.png")
    assert image.mode == "L" and image.size == (1011, 638)
    assert np.array_equal(np.asarray(image), np.where(black, 0, 255)[5:643, 2:1013])


def test_the_png_is_the_card_cut_out_of_the_bleed_at_300_dpi(tmp_path):
    """ID-1 is 85.60 x 53.98 mm: 1011 x 638 px at 300 dpi, centred in the 1016 x 648 bitmap."""
    black = np.zeros((648, 1016), dtype=bool)
    black[5, 2] = black[642, 1012] = True  # the card's first and last pixel
    black[4, :] = black[:, 1] = True  # bleed, cut off
    save_png(Side("front", {"k": Panel(2, black)}), tmp_path / "card.png")
    image = Image.open(tmp_path / "card.png")
    assert image.size == (1011, 638) and image.mode == "L"
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    pixels = np.asarray(image)
    assert pixels[0, 0] == 0 and pixels[-1, -1] == 0 and (pixels == 0).sum() == 2
