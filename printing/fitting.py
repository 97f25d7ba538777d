"""Fitting a value into its box: shrink to the minimum size, then wrap, else a clear error.

Rules, in order:
1. One line at the style's size if it fits.
2. One line shrunk, down to `min_size`.
3. Wrapped over up to `max_lines` lines, at the largest size (from `size` down to `min_size`,
   in 0.05 pt steps) at which every line fits the width and the lines fit the box height.
   Lines break at spaces, and after "-", "/" and "," inside a word; a word is never cut.
4. Otherwise `FieldDoesNotFitError`. A character the font lacks is `UnsupportedCharacterError`.

The first baseline sits where a one-line value at the style's size would, so a shrunk or wrapped
value stays level with its label; a bottom-aligned style (`valign="bottom"`, the place of issue
above its date) instead keeps its last line on the box's bottom, so a wrapped value grows upwards. Extents use the font's ascent and descent (not the glyphs at
hand), so a fitted text stays inside its box whatever characters it holds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from .errors import FieldDoesNotFitError, UnsupportedCharacterError
from .fonts import CardFont, card_font
from .layout import PT_MM, Box, TextStyle

SIZE_STEP = 0.05
_PIECE = re.compile(r"[^-/,]*[-/,]|[^-/,]+")


@dataclass(frozen=True)
class Line:
    """One drawn line: its text, left x and baseline y in mm (from the card's top-left)."""

    text: str
    x: float
    baseline: float
    width: float


@dataclass(frozen=True)
class FittedText:
    """A value as it will be drawn: font, size (pt) and positioned lines."""

    key: str
    font: CardFont
    size: float
    lines: tuple[Line, ...]
    box: Box

    def extent(self) -> Box:
        """The box the drawn glyphs can occupy (font ascent to descent), in mm."""
        asc = self.font.ascent * self.size * PT_MM
        desc = self.font.descent * self.size * PT_MM
        left = min(line.x for line in self.lines)
        right = max(line.x + line.width for line in self.lines)
        top = self.lines[0].baseline - asc
        return Box(left, top, right - left, self.lines[-1].baseline + desc - top)

    def moved(self, top: float, height: float) -> FittedText:
        """The same text with its box moved down to `top` and cut to `height` mm."""
        dy = top - self.box.y
        lines = tuple(Line(ln.text, ln.x, ln.baseline + dy, ln.width) for ln in self.lines)
        box = Box(self.box.x, top, self.box.w, height)
        return FittedText(self.key, self.font, self.size, lines, box)


def fit_text(key: str, text: str, box: Box, style: TextStyle, name: str = "") -> FittedText:
    """Fit `text` into `box` following the module's rules; raise a clerk-readable error if not."""
    font = card_font(style.font)
    bad = font.unsupported(text)
    if bad is not None:
        raise UnsupportedCharacterError(key, bad, name)
    width_pt = box.w / PT_MM
    height_pt = box.h / PT_MM
    top = style.valign != "bottom"
    first = font.ascent * style.size
    unit_width = font.width(text)

    size = _quantise(min(style.size, width_pt / unit_width if unit_width else style.size))
    if size >= style.smallest and (
        (first if top else font.ascent * size) + font.descent * size <= height_pt + 1e-9
    ):
        return _place(key, font, size, [text], box, style)

    pieces = _pieces(text, font)
    space = font.width(" ")

    def wrapped(size: float) -> list[str]:
        lines = _wrap(pieces, width_pt / size, style.max_lines, space)
        needed = ((first if top else font.ascent * size)
                  + (len(lines) - 1) * style.leading * size + font.descent * size)
        return lines if lines and needed <= height_pt + 1e-9 else []

    # A smaller size never needs more lines or height, so the largest size that fits is found
    # by bisection over the 0.05 pt steps (6 wraps instead of up to 33).
    sizes = _sizes(style)
    best: tuple[float, list[str]] | None = None
    low, high = 0, len(sizes)
    while low < high:
        middle = (low + high) // 2
        lines = wrapped(sizes[middle])
        if lines:
            best, high = (sizes[middle], lines), middle
        else:
            low = middle + 1
    if best is not None:
        return _place(key, font, best[0], best[1], box, style)
    detail = f"even at {style.smallest:g} pt on {style.max_lines} line(s)"
    raise FieldDoesNotFitError(key, text, name, detail, style.smallest, style.max_lines)


def _quantise(size: float) -> float:
    return round(math.floor(size / SIZE_STEP + 1e-9) * SIZE_STEP, 2)


def _sizes(style: TextStyle) -> tuple[float, ...]:
    if style.max_lines < 2:
        return ()
    return _size_steps(style.size, style.smallest)


@cache
def _size_steps(size: float, smallest: float) -> tuple[float, ...]:
    """The sizes a wrapped value may take, largest first, in `SIZE_STEP`s."""
    steps = round((size - smallest) / SIZE_STEP)
    return tuple(round(size - i * SIZE_STEP, 2) for i in range(steps + 1))


def _pieces(text: str, font: CardFont) -> list[tuple[str, float, bool]]:
    """Break opportunities: (piece, width at 1 pt, starts a new word)."""
    pieces = []
    for word in text.split(" "):
        for i, piece in enumerate(_PIECE.findall(word)):
            pieces.append((piece, font.width(piece), i == 0))
    return pieces


def _wrap(
    pieces: list[tuple[str, float, bool]], limit: float, max_lines: int, space: float
) -> list[str]:
    """Greedy wrap in 1 pt units; an empty list when it needs more than `max_lines` lines."""
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    for piece, width, new_word in pieces:
        gap = space if (new_word and current) else 0.0
        if current and used + gap + width > limit + 1e-9:
            lines.append(current)
            current, used, gap = [], 0.0, 0.0
        if width > limit + 1e-9:
            return []
        current.append((" " if gap else "") + piece)
        used += gap + width
    lines.append(current)
    if len(lines) > max_lines:
        return []
    return ["".join(parts) for parts in lines]


def _place(
    key: str, font: CardFont, size: float, lines: list[str], box: Box, style: TextStyle
) -> FittedText:
    placed = []
    if style.valign == "bottom":
        below = font.descent * size + (len(lines) - 1) * style.leading * size
        baseline = box.bottom - below * PT_MM
    else:
        baseline = box.y + font.ascent * style.size * PT_MM
    for text in lines:
        width = font.width(text) * size * PT_MM
        if style.align == "centre":
            x = box.x + (box.w - width) / 2
        elif style.align == "right":
            x = box.right - width
        else:
            x = box.x
        placed.append(Line(text, x, baseline, width))
        baseline += style.leading * size * PT_MM
    return FittedText(key, font, size, tuple(placed), box)
