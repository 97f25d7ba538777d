"""A card job -> the Evolis command stream that prints it.

The stream mirrors what Evolis's own driver sends (tests/drivers/data): ribbon and feeder
settings, ``Ss``, ``Sr`` with one download per panel, ``Sv`` and its panels for a back, ``Se``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from drivers.errors import InvalidJobError
from drivers.evolis import commands as cmd
from drivers.evolis import raster
from drivers.jobs import CardJob, SidePanels

DYE_CHANNEL = {"y": 2, "m": 1, "c": 0}
"""Yellow absorbs blue, magenta green, cyan red: each dye is 255 minus that RGB channel."""


@dataclass(frozen=True)
class EncodeOptions:
    ribbon: str = "ymcko"
    colour_levels: int = 32
    compress: bool = True
    """Send K and O as ``Dbc`` (line-compressed), as Evolis's driver does."""

    def __post_init__(self) -> None:
        if self.ribbon not in cmd.RIBBONS:
            raise InvalidJobError(
                f"unknown ribbon {self.ribbon!r}; known: {', '.join(cmd.RIBBONS)}"
            )
        if self.colour_levels not in cmd.COLOUR_LEVELS:
            raise InvalidJobError(f"colour levels must be one of {cmd.COLOUR_LEVELS}")


def ink_bits(image: Image.Image | None, default: bool) -> bytes:
    """A mode "1" landscape panel as packed portrait bits, bit 1 = lay this panel (black).

    Pillow keeps mode "1" as a byte per pixel (0 = black); reading those bytes and packing
    them turned (``raster.pack_bits_landscape``) is faster than turning and packing in Pillow.
    """
    if image is None:
        fill = 0xFF if default else 0x00
        return bytes([fill]) * (cmd.LINE_BYTES * cmd.PORTRAIT_LINES)
    white = np.frombuffer(image.tobytes("raw", "L"), dtype=np.uint8)
    return raster.pack_bits_landscape((white == 0).reshape(image.height, image.width))


def _dye_table(levels: int) -> list[int]:
    """RGB channel value -> dye level: no dye on white, full dye where the channel is 0."""
    return raster.quantise(255 - np.arange(256), levels).tolist()


_DYE_TABLES = {levels: _dye_table(levels) for levels in cmd.COLOUR_LEVELS}


def panel_downloads(side: SidePanels, panels: str, options: EncodeOptions) -> list[bytes]:
    """One download command per panel of the ribbon, in the ribbon's order."""
    channels = None
    if side.colour is not None and any(p in DYE_CHANNEL for p in panels):
        channels = side.colour.split()  # landscape: raster turns it while packing
    out = []
    for panel in panels:
        if panel in DYE_CHANNEL:
            levels = options.colour_levels
            bits = cmd.LEVEL_BITS[levels]
            if channels is None:
                data = bytes(cmd.PORTRAIT_WIDTH * cmd.PORTRAIT_LINES * bits // 8)
            else:
                dye = channels[DYE_CHANNEL[panel]].point(_DYE_TABLES[levels])
                data = raster.pack_levels_landscape(np.asarray(dye, dtype=np.uint8), bits)
            out.append(cmd.download(panel, levels, data))
            continue
        packed = ink_bits(side.k if panel == "k" else side.overlay, default=panel == "o")
        if options.compress:
            out.append(cmd.download_compressed(panel, 2, raster.compress_lines(packed)))
        else:
            out.append(cmd.download(panel, 2, packed))
    return out


def encode_card(job: CardJob, options: EncodeOptions | None = None) -> list[bytes]:
    """The card as a list of framed commands, one printer reply expected per command."""
    options = options or EncodeOptions()
    front_panels, back_panels = cmd.RIBBONS[options.ribbon]
    out = [cmd.select_ribbon(options.ribbon), cmd.FEED_FROM_FEEDER, cmd.START_SEQUENCE, cmd.FRONT]
    out += panel_downloads(job.front, front_panels, options)
    if job.back is not None:
        out.append(cmd.BACK)
        out += panel_downloads(job.back, back_panels, options)
    out.append(cmd.END_SEQUENCE)
    return out


def encode_stream(job: CardJob, options: EncodeOptions | None = None) -> bytes:
    """The whole card as one byte stream, as written to a file or a one-way link."""
    return b"".join(encode_card(job, options))
