"""The vocabulary of a card layout: boxes in millimetres, text styles, fields, the photo.

A layout is data (see `printing/layouts/`): where each thing sits, in which font and size, with
which label, in which order. Coordinates are measured from the card's top-left corner, x to the
right and y downwards, as a designer measures a printed card; `pdf.py` converts to PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import combinations

from .errors import LayoutError, PrintingError
from .fonts import card_font

MM_PER_INCH = 25.4
PRINTER_DPI = 300
PX_MM = MM_PER_INCH / PRINTER_DPI
PT_MM = MM_PER_INCH / 72
ID1_WIDTH_MM = 85.60
ID1_HEIGHT_MM = 53.98
PHOTO_BACKGROUNDS = ("birth-year", "red", "blue", "orange")


@dataclass(frozen=True)
class Box:
    """A rectangle on the card, in mm from the top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, other: Box, tolerance: float = 1e-6) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.right and other.x < self.right
            and self.y < other.bottom and other.y < self.bottom
        )

    def pixels(self, dpi: int = PRINTER_DPI) -> tuple[int, int]:
        """Width and height in pixels at `dpi`: the size a photo is prepared at."""
        per_mm = dpi / MM_PER_INCH
        return round(self.w * per_mm), round(self.h * per_mm)


@dataclass(frozen=True)
class TextStyle:
    """How text in a box is set: shrink from `size` down to `min_size`, then wrap.

    `valign` "top" keeps the first line level with a one-line value (beside its label);
    "bottom" sits the last line on the box's bottom, so wrapped lines grow upwards.
    """

    font: str = "regular"
    size: float = 6.0
    min_size: float | None = None
    max_lines: int = 1
    align: str = "left"
    leading: float = 1.12
    valign: str = "top"

    @property
    def smallest(self) -> float:
        return self.size if self.min_size is None else self.min_size


@dataclass(frozen=True)
class Text:
    """A piece of text in a box: static (`text`) or filled from card values (`template`).

    `template` is a `str.format` pattern over `printed_values` (e.g. "{rt}/{rw}"); `name` is
    how errors call it: the label the clerk sees on the card.
    """

    key: str
    box: Box
    style: TextStyle
    template: str | None = None
    text: str | None = None
    name: str = ""


@dataclass(frozen=True)
class Cell:
    """One "Label : value" pair of a row; x positions in mm (the row decides y)."""

    key: str
    label: str
    template: str
    label_x: float
    label_w: float
    colon_x: float
    value_x: float
    value_right: float


@dataclass(frozen=True)
class Row:
    """A line of the field list; its value may wrap onto `lines` lines."""

    cells: tuple[Cell, ...]
    lines: int = 1


@dataclass(frozen=True)
class Rows:
    """The labelled fields, stacked top-down in `zone` in their official order.

    Each row takes the height its value needs (one line, or more when wrapped); the height
    left over is shared out as gaps of at most `max_gap` mm, so a card of short values looks
    evenly spaced and a card of long values packs tight. `validate` proves the zone holds
    every row at its most lines at `value.min_size`, so rows can never overflow.
    """

    zone: Box
    rows: tuple[Row, ...]
    label: TextStyle
    value: TextStyle
    line_height: float
    max_gap: float

    def value_style(self, row: Row) -> TextStyle:
        return replace(self.value, max_lines=row.lines)

    @cached_property
    def fitting(self) -> tuple[tuple[Row, TextStyle, float, float], ...]:
        """Per row, worked out once: the row, its value style, and the height its values may
        take at their most lines at the style's size and at the minimum size."""
        out = []
        for row in self.rows:
            style = self.value_style(row)
            out.append((row, style, self.row_height(style, row.lines, style.size),
                        self.row_height(style, row.lines, style.smallest)))
        return tuple(out)

    def row_height(self, style: TextStyle, lines: int, size: float) -> float:
        """Height in mm of a row whose value is `lines` lines at `size` pt."""
        if lines <= 1:
            return self.line_height
        font = card_font(style.font)
        needed = font.ascent * style.size + ((lines - 1) * style.leading + font.descent) * size
        return max(self.line_height, needed * PT_MM)


@dataclass(frozen=True)
class Barcode:
    """A Code128 barcode of a card value, drawn as vector bars on a white quiet-zone box.

    `module_px` is the narrowest bar in printer pixels; the bars are snapped to the printer's
    pixel grid so every bar is a whole number of K-panel pixels wide.
    """

    template: str
    box: Box
    module_px: int = 2
    quiet_modules: int = 10


@dataclass(frozen=True)
class Layout:
    """One side of one kind of card. A new kabupaten, a WNA card or a back side is a new value."""

    name: str
    texts: tuple[Text, ...]
    rows: Rows | None = None
    photo: Box | None = None
    signature: Box | None = None
    barcode: Barcode | None = None
    photo_background: str = "birth-year"
    background: tuple[float, float, float] | None = None
    date_format: str = "%d-%m-%Y"
    width: float = ID1_WIDTH_MM
    height: float = ID1_HEIGHT_MM
    overlay_holes: tuple[Box, ...] = field(default=())

    @property
    def card(self) -> Box:
        return Box(0.0, 0.0, self.width, self.height)

    @property
    def fields(self) -> tuple[Text, ...]:
        """The fixed-position values (header, NIK, place and date of issue)."""
        return tuple(t for t in self.texts if t.template is not None)

    @property
    def labels(self) -> tuple[Text, ...]:
        """The fixed-position words (the NIK label and its colon)."""
        return tuple(t for t in self.texts if t.template is None)

    def validate(self) -> Layout:
        """Check the layout once, when it is defined: every box on the card within a safe
        margin, none overlapping, rows that hold their longest values, labels that fit."""
        if self.photo_background not in PHOTO_BACKGROUNDS:
            raise LayoutError(f"layout {self.name}: unknown photo rule {self.photo_background!r}")
        safe = Box(0.8, 0.8, self.width - 1.6, self.height - 1.6)
        boxes = [(t.key, t.box) for t in self.texts]
        for key, box in (
            ("rows", self.rows.zone if self.rows else None),
            ("photo", self.photo),
            ("signature", self.signature),
            ("barcode", self.barcode.box if self.barcode else None),
        ):
            if box is not None:
                boxes.append((key, box))
        for key, box in boxes:
            if not safe.contains(box):
                raise LayoutError(f"layout {self.name}: {key} box {box} leaves the card")
        for (key_a, a), (key_b, b) in combinations(boxes, 2):
            if a.overlaps(b):
                raise LayoutError(f"layout {self.name}: boxes {key_a} and {key_b} overlap")
        for t in self.texts:
            if (t.template is None) == (t.text is None):
                raise LayoutError(f"layout {self.name}: {t.key} needs a text or a template")
        self._validate_rows()
        self._validate_words()
        return self

    def _validate_rows(self) -> None:
        rows = self.rows
        if rows is None:
            return
        tallest = sum(
            rows.row_height(rows.value, row.lines, rows.value.smallest) for row in rows.rows
        )
        if tallest > rows.zone.h + 1e-6:
            raise LayoutError(
                f"layout {self.name}: rows need {tallest:.2f} mm at their most lines, "
                f"the zone has {rows.zone.h:.2f} mm"
            )
        for row in rows.rows:
            right = rows.zone.x
            for cell in row.cells:
                in_order = right <= cell.label_x < cell.colon_x < cell.value_x < cell.value_right
                if not in_order or cell.value_right > rows.zone.right + 1e-6:
                    raise LayoutError(
                        f"layout {self.name}: columns of {cell.key} overlap or leave the rows"
                    )
                right = cell.value_right

    def _validate_words(self) -> None:
        """Every fixed word fits its box (a label can shrink, but never wrap)."""
        from .fitting import fit_text

        rows = self.rows
        words = [(t.key, t.text, t.box, t.style) for t in self.labels]
        for cell in (cell for row in rows.rows for cell in row.cells) if rows else ():
            words.append((cell.key, cell.label,
                          Box(cell.label_x, 0, cell.label_w, rows.line_height), rows.label))
        for key, text, box, style in words:
            try:
                fit_text(key, text, box, replace(style, max_lines=1))
            except PrintingError as exc:
                raise LayoutError(f"layout {self.name}: label of {key}: {exc}") from None
