"""Planning a card: every value fitted and placed, every bar placed, before anything is drawn.

A card that cannot be printed fails here, with a typed error naming the field, so neither a
single PDF nor a batch ever holds half a card.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .barcode import place_bars
from .card import CardData, printed_values
from .errors import FieldDoesNotFitError, PhotoError, UnsupportedCharacterError
from .fitting import FittedText, fit_text
from .layout import Box, Cell, Layout, Rows, TextStyle
from .layouts import get_layout

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class CardPlan:
    """What to draw for one card.

    `labels` are the layout's fixed words (labels, colons) at this card's row positions;
    `arrangement` names those positions, so pages that share them share one drawn form.
    """

    layout: Layout
    values: tuple[FittedText, ...]
    labels: tuple[FittedText, ...]
    arrangement: str
    bars: tuple[Box, ...]
    photo: bytes | None
    signature: bytes | None


def plan_card(card: CardData) -> CardPlan:
    layout = get_layout(card.layout)
    if card.photo is not None and not card.photo.startswith(JPEG_MAGIC):
        raise PhotoError("the card photo must be the JPEG made by prepare_photo",
                         "card-photo-not-prepared", what="photo")
    if card.signature is not None and not card.signature.startswith(PNG_MAGIC):
        raise PhotoError("the card signature must be the PNG made by prepare_signature",
                         "card-signature-not-prepared", what="signature")
    values = printed_values(card, layout.date_format)
    fixed = tuple(
        fit_text(t.key, t.template.format_map(values), t.box, t.style, t.name)
        for t in layout.fields
    )
    row_values, tops = _place_rows(layout, values)
    bars: tuple[Box, ...] = ()
    if layout.barcode is not None:
        bars = place_bars(layout.barcode, layout.barcode.template.format_map(values))
    arrangement = layout.name + ":" + ",".join(f"{top:.3f}" for top in tops)
    return CardPlan(
        layout, fixed + row_values, fixed_words(layout.name, tops), arrangement,
        bars, card.photo, card.signature,
    )


def _place_rows(
    layout: Layout, values: dict[str, str]
) -> tuple[tuple[FittedText, ...], tuple[float, ...]]:
    """Fit each row's values, then stack the rows down the zone with even gaps.

    Wrapped values first get the room their lines need at full size, so they stay as large as
    the width allows; if the rows then overflow the zone, they are refitted in the room for
    `min_size`, which `Layout.validate` proved always fits.
    """
    rows = layout.rows
    if rows is None:
        return (), ()
    fitted_rows = _fit_rows(rows, values, at_size=True)
    if sum(height for height, _ in fitted_rows) > rows.zone.h + 1e-9:
        fitted_rows = _fit_rows(rows, values, at_size=False)
    slack = rows.zone.h - sum(height for height, _ in fitted_rows)
    gap = min(rows.max_gap, slack / max(1, len(fitted_rows) - 1))
    placed, tops = [], []
    top = rows.zone.y
    for height, cells in fitted_rows:
        placed += [fitted.moved(top, height) for fitted in cells]
        tops.append(top)
        top += height + gap
    return tuple(placed), tuple(tops)


def check_fit(card: CardData) -> list[FieldDoesNotFitError | UnsupportedCharacterError]:
    """Every value of `card` that could not be printed, one error per field (none: it fits).

    The same fitting `plan_card` does, without the photo, signature or barcode, and without
    stopping at the first problem: a form can name every field to correct at once. A card
    whose `check_fit` is empty plans (and prints) as long as its images are sound.
    """
    layout = get_layout(card.layout)
    values = printed_values(card, layout.date_format)
    problems: list[FieldDoesNotFitError | UnsupportedCharacterError] = []
    for t in layout.fields:
        _collect(problems, t.key, t.template.format_map(values), t.box, t.style, t.name)
    rows = layout.rows
    for row, style, room, _ in rows.fitting if rows is not None else ():
        for cell in row.cells:
            _collect(problems, cell.key, cell.template.format_map(values),
                     _value_box(rows, cell, room), style, cell.label)
    return problems


def _collect(problems: list, key: str, text: str, box: Box, style: TextStyle, name: str) -> None:
    try:
        fit_text(key, text, box, style, name)
    except (FieldDoesNotFitError, UnsupportedCharacterError) as exc:
        problems.append(exc)


def _value_box(rows: Rows, cell: Cell, room: float) -> Box:
    """Where a row's value may go before the rows are stacked: its columns, `room` mm high."""
    return Box(cell.value_x, rows.zone.y, cell.value_right - cell.value_x, room)


def _fit_rows(
    rows: Rows, values: dict[str, str], at_size: bool
) -> list[tuple[float, list[FittedText]]]:
    fitted_rows = []
    for row, style, room_at_size, room_at_min in rows.fitting:
        room = room_at_size if at_size else room_at_min
        height = rows.line_height
        cells = []
        for cell in row.cells:
            box = _value_box(rows, cell, room)
            fitted = fit_text(cell.key, cell.template.format_map(values), box, style, cell.label)
            height = max(height, rows.row_height(style, len(fitted.lines), fitted.size))
            cells.append(fitted)
        fitted_rows.append((height, cells))
    return fitted_rows


@lru_cache(maxsize=256)
def fixed_words(layout_name: str, tops: tuple[float, ...]) -> tuple[FittedText, ...]:
    """Labels and colons of the layout with its rows at `tops`; fitted once per arrangement.

    `Layout.validate` has already proved they fit.
    """
    layout = get_layout(layout_name)
    words = [fit_text(t.key, t.text, t.box, t.style, t.name) for t in layout.labels]
    rows = layout.rows
    for row, top in zip(rows.rows if rows else (), tops, strict=True):
        for cell in row.cells:
            label_box = Box(cell.label_x, top, cell.label_w, rows.line_height)
            colon_box = Box(cell.colon_x, top, cell.value_x - cell.colon_x, rows.line_height)
            words.append(fit_text("label:" + cell.key, cell.label, label_box, rows.label))
            words.append(fit_text("colon:" + cell.key, ":", colon_box, rows.label))
    return tuple(words)
