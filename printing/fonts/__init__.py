"""The TrueType fonts printed on the card, shipped inside the package.

Liberation Sans 2.1 (metric-compatible with Arial, the face KTP blanks are set in), from Debian's
fonts-liberation2, under the SIL Open Font License 1.1 (`LICENSE` beside this file). Shipping the
files keeps a card identical on every machine, whatever fonts the system has.

Widths come from the same ReportLab font objects that draw the text, so a measured line is
exactly the drawn line (ReportLab applies no kerning).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent
FONT_FILES = {
    "regular": ("LiberationSans", "LiberationSans-Regular.ttf"),
    "bold": ("LiberationSans-Bold", "LiberationSans-Bold.ttf"),
}


@dataclass(frozen=True)
class CardFont:
    """One registered card font: its PDF name and its metrics per 1 pt of size."""

    style: str
    pdf_name: str
    ascent: float
    descent: float
    _widths: dict[int, float]
    _default_width: float

    def width(self, text: str) -> float:
        """Advance width of `text` at 1 pt, in points."""
        return sum(map(self._widths.get, map(ord, text), repeat(self._default_width)))

    def unsupported(self, text: str) -> str | None:
        """The first character of `text` this font cannot print, or None."""
        if text.isascii() and text.isprintable():
            return None  # the card fonts cover printable ASCII (checked when loaded)
        for ch in text:
            control_or_space = unicodedata.category(ch)[0] in "CZ" and ch != " "
            if control_or_space or ord(ch) not in self._widths:
                return ch
        return None


_lock = threading.Lock()


@cache
def card_font(style: str) -> CardFont:
    """Register the font of `style` ("regular" or "bold") with ReportLab, once per process."""
    pdf_name, filename = FONT_FILES[style]
    with _lock:
        ttf = TTFont(pdf_name, str(FONT_DIR / filename))
        _cache_subsets(ttf)
        pdfmetrics.registerFont(ttf)
    face = ttf.face
    missing = [chr(code) for code in range(32, 127) if code not in face.charToGlyph]
    if missing:
        raise LookupError(f"card font {filename} lacks printable ASCII: {''.join(missing)}")
    scale = 1 / 1000
    return CardFont(
        style=style,
        pdf_name=pdf_name,
        ascent=face.ascent * scale,
        descent=-face.descent * scale,
        _widths={
            code: width * scale
            for code, width in face.charWidths.items()
            if code in face.charToGlyph
        },
        _default_width=face.defaultWidth * scale,
    )


def _cache_subsets(ttf: TTFont) -> None:
    """Memoise the font subsets ReportLab builds when it saves a PDF.

    Cards of ASCII text always need the same subset, and building it (pure Python) was the
    largest single cost of a one-card PDF; the subset bytes depend only on the glyph list.
    """
    build = ttf.face.makeSubset
    built: dict[tuple[int, ...], bytes] = {}

    def make_subset(subset: list[int]) -> bytes:
        key = tuple(subset)
        if key not in built:
            if len(built) > 64:
                built.clear()
            built[key] = build(subset)
        return built[key]

    ttf.face.makeSubset = make_subset
