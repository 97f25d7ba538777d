"""What comes out of the virtual printer: a card-size PNG per side and a JSON-lines log.

The PNG is the card as a person would see it: landscape, dyes under resin black, cut to the
ID-1 card (85.60 x 53.98 mm: 1011 x 638 px at 300 dpi, the dpi written in the file) out of
the slightly larger bitmap the printer lays edge to edge. The log has one line per card, good
or spoiled, with the job id, time, panels (levels, inked share) and the printer's counters.
"""

from __future__ import annotations

import functools
import json
import re
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from drivers.evolis.commands import PORTRAIT_LINES, PORTRAIT_WIDTH

CARD_SHAPE = (PORTRAIT_WIDTH, PORTRAIT_LINES)
"""A landscape side in pixel rows and columns (the portrait bitmap turned)."""
DPI = 300
CUT_SHAPE = (round(53.98 / 25.4 * DPI), round(85.60 / 25.4 * DPI))
"""The card itself in pixel rows and columns (638 x 1011): what is left after the cut."""
CUT_AT = ((CARD_SHAPE[0] - CUT_SHAPE[0]) // 2, (CARD_SHAPE[1] - CUT_SHAPE[1]) // 2)
"""Top and left bleed cut off (the bitmap is centred on the card)."""
DYES = ("c", "m", "y")
"""Dye panels in R, G, B order: cyan takes red light away, magenta green, yellow blue."""


@dataclass
class Panel:
    levels: int
    values: np.ndarray
    """Landscape, as the card comes out: bool ink mask for 2 levels, else dye levels."""

    def inked_share(self) -> float:
        return np.count_nonzero(self.values) / self.values.size


@dataclass
class Side:
    name: str
    panels: dict[str, Panel] = field(default_factory=dict)


INKED = 0x80
"""Set on a dye level where resin black lies on top: levels never reach it (at most 127)."""


@functools.cache
def _light_pairs(levels: int) -> np.ndarray:
    """Two adjacent pixels' indices (dye level, + INKED under black) -> the light they leave
    in their channel (255 = no dye, 0 = black), as one uint16 table lookup.

    Looking pixels up in pairs halves the work of ``np.take``, which widens every index.
    """
    light = [round(255 - level * 255 / (levels - 1)) for level in range(levels)]
    table = np.array(light + [0] * (256 - levels), dtype=np.uint8)
    return table[np.arange(1 << 16, dtype=np.uint16).view(np.uint8)].view(np.uint16)


def compose(side: Side, out: np.ndarray | None = None) -> np.ndarray:
    """The printed side, landscape: (648, 1016, 3) RGB, or (648, 1016) grey-scale when the side
    has no dye panel (``out``, when given, has that shape). Dyes subtract from white, K lays
    black on top.

    One table lookup per channel: the K mask is folded into the dye levels as the INKED bit,
    which the table maps to 0, so darkening under black costs no extra pass.
    """
    black = side.panels.get("k")
    dyed = _dyed(side)
    if out is None:
        out = np.empty((*CARD_SHAPE, 3) if dyed else CARD_SHAPE, dtype=np.uint8)
    if not dyed:
        _undyed(black, out)
        return out
    inked = None if black is None else black.values.view(np.uint8) * np.uint8(INKED)
    for channel, name in enumerate(DYES):
        dye = side.panels.get(name)
        if dye is None:
            _undyed(black, out[..., channel])
        else:
            index = dye.values if inked is None else dye.values | inked
            lookup = np.take(_light_pairs(dye.levels), index.view(np.uint16))
            out[..., channel] = lookup.view(np.uint8)
    return out


def _dyed(side: Side) -> bool:
    return any(name in side.panels for name in DYES)


def _undyed(black: Panel | None, out: np.ndarray) -> None:
    """A channel without dye: white, black where K lies."""
    if black is None:
        out[...] = 255
    else:
        out[...] = np.where(black.values, np.uint8(0), np.uint8(255))


def save_png(side: Side, path: Path) -> None:
    """Write the printed side, cut to the card, as a 300-dpi PNG: RGB, or grey-scale without
    dye panels.

    The side is composed, then its card-size part copied into the PNG's scanlines, every row
    unfiltered (filter byte 0) and deflated at level 1 with a small hash table (memLevel 5).
    Pillow's encoder chooses a row filter per row and was the largest cost of a printed card
    (about 17 ms a side); a card is flat areas and repeated rows, which plain deflate finds
    without filters: about 4 ms and 30 kB. Any PNG reader opens it.
    """
    channels = 3 if _dyed(side) else 1
    height, width = CUT_SHAPE
    top, left = CUT_AT
    composed = compose(side)
    rows = np.empty((height, 1 + width * channels), dtype=np.uint8)
    rows[:, 0] = 0
    rows[:, 1:].reshape(height, width, channels)[...] = composed[
        top : top + height, left : left + width
    ].reshape(height, width, channels)
    deflate = zlib.compressobj(1, zlib.DEFLATED, 15, 5)
    data = deflate.compress(rows) + deflate.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2 if channels == 3 else 0, 0, 0, 0)
    per_metre = round(DPI / 0.0254)
    density = struct.pack(">IIB", per_metre, per_metre, 1)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"pHYs", density)
                     + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:40] or "card"


class CardLog:
    """The output folder: ``cards.jsonl`` plus ``NNNNNN-<job>-<side>.png``."""

    def __init__(self, folder: str | Path, *, save_png: bool = True) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "cards.jsonl"
        self.save_png = save_png
        self._lock = threading.Lock()

    def record(self, entry: dict[str, object], sides: list[Side]) -> dict[str, object]:
        number = int(entry["card_number"])  # type: ignore[call-overload]
        stem = f"{number:06d}-{_safe(str(entry.get('job_id') or 'no-job-id'))}"
        side_entries = []
        for side in sides:
            item: dict[str, object] = {
                "side": side.name,
                "panels": {
                    name: {"levels": p.levels, "inked_share": round(p.inked_share(), 4)}
                    for name, p in side.panels.items()
                },
            }
            if self.save_png and entry.get("outcome") == "printed":
                png = self.folder / f"{stem}-{side.name}.png"
                save_png(side, png)
                item["png"] = png.name
            side_entries.append(item)
        entry = {**entry, "sides": side_entries}
        with self._lock, self.path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")
        return entry

    def entries(self) -> list[dict[str, object]]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as log:
            return [json.loads(line) for line in log if line.strip()]
