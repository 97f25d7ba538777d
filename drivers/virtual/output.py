"""What comes out of the virtual printer: a card-size PNG per side and a JSON-lines log.

The PNG is the card as a person would see it (landscape, dyes under resin black); the log has
one line per card, good or spoiled, with the job id, time, panels and the printer's counters.
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
from PIL import Image, ImageChops

from drivers.evolis.commands import PORTRAIT_LINES, PORTRAIT_WIDTH

DYES = ("c", "m", "y")
"""Dye panels in R, G, B order: cyan takes red light away, magenta green, yellow blue."""


@dataclass
class Panel:
    levels: int
    values: np.ndarray
    """Portrait: bool ink mask for 2 levels, else dye levels 0..levels-1."""

    def inked_share(self) -> float:
        return np.count_nonzero(self.values) / self.values.size


@dataclass
class Side:
    name: str
    panels: dict[str, Panel] = field(default_factory=dict)


@functools.cache
def _light_table(levels: int) -> list[int]:
    """Dye level -> light left in its channel (255 = no dye), as a 256-entry Pillow table."""
    table = [round(255 - level * 255 / (levels - 1)) for level in range(levels)]
    return table + [0] * (256 - levels)


def compose(side: Side) -> Image.Image:
    """The printed side, landscape: dyes subtract from white, K lays black on top.

    Built with Pillow operations (table lookups, darker-of, transpose), which are much faster
    than the same steps in numpy. A side without dye panels comes out grey-scale.
    """
    black = side.panels.get("k")
    keep = None
    if black is not None:
        keep = ImageChops.invert(Image.fromarray(black.values).convert("L"))
    dyed = any(name in side.panels for name in DYES)
    channels = []
    for name in DYES if dyed else ("k",):
        panel = side.panels.get(name)
        if panel is None or name == "k":
            light = Image.new("L", (PORTRAIT_WIDTH, PORTRAIT_LINES), 255)
        else:
            light = Image.fromarray(panel.values, "L").point(_light_table(panel.levels))
        if keep is not None:
            light = ImageChops.darker(light, keep)
        channels.append(light)
    portrait = Image.merge("RGB", channels) if dyed else channels[0]
    return portrait.transpose(Image.Transpose.ROTATE_90)


def save_png(image: Image.Image, path: Path) -> None:
    """Write ``image`` (L or RGB) as a PNG with every row unfiltered, deflated at level 1.

    Pillow's encoder chooses a row filter per row, and was the largest cost of a printed card
    (about 17 ms a side, 0.3-0.7 MB with Z_RLE); a card is flat areas and repeated rows, which
    plain deflate finds without filters: a few ms and about 30 kB. Any PNG reader opens it.
    """
    pixels = np.asarray(image)
    height, width = pixels.shape[:2]
    rows = np.zeros((height, pixels[0].size + 1), dtype=np.uint8)  # filter byte 0: none
    rows[:, 1:] = pixels.reshape(height, -1)
    deflate = zlib.compressobj(1)
    data = deflate.compress(rows.tobytes()) + deflate.flush()
    colour_type = 2 if pixels.ndim == 3 else 0

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
                     + chunk(b"IEND", b""))


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
                save_png(compose(side), png)
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
