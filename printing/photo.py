"""Preparing the resident's photo for the card: upright, 3:4, print resolution, re-encoded.

The result is the JPEG stored with the resident and embedded in every card PDF as it is.
Encoding is deterministic (same upload, same bytes). Problems that make the photo unusable
raise `PhotoError` (among them a photo too small to print: below the layout's 300-dpi photo box
divided by `MAX_UPSCALE`); a photo that is usable but doubtful (wrong background colour, a
resolution below print size) comes back with warnings for the clerk to decide on.

Background colour rule (docs/domain.md): red for an odd birth year, blue for an even one,
orange on a WNA card. It is checked on the two top corners of the cropped photo, where a
centred portrait shows only background.
"""

from __future__ import annotations

import colorsys
import io
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PIL import Image, ImageStat

from .card import DEFAULT_LAYOUT
from .errors import PhotoError
from .layouts import get_layout
from .upload import DEFAULT_MAX_BYTES, open_upload, to_rgb, without_metadata

ASPECT = (3, 4)
JPEG_QUALITY = 92
CORNER = 0.14
# A photo is scaled up by at most this much to its print size, i.e. it has at least 150 dpi in
# the photo box, the usual floor for a printed photo: for the KTP box (236 x 315 px at 300 dpi)
# at least 118 x 158 px. Between that and the print size it is used with a warning.
MAX_UPSCALE = 2.0


@dataclass(frozen=True)
class PhotoWarning:
    """A doubt about a usable photo: `code` is stable for the API, `message` the English words
    for the clerk, `params` the values in them (for saying it in another language)."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class PreparedPhoto:
    jpeg: bytes
    size: tuple[int, int]
    background: str
    warnings: tuple[PhotoWarning, ...]


def layout_for(kewarganegaraan: str) -> str:
    """The front layout for a resident: WNA cards are in English with an orange background."""
    return "ktp-wna" if kewarganegaraan == "WNA" else DEFAULT_LAYOUT


def expected_background(layout: str, tanggal_lahir: date | None) -> str | None:
    """The photo background colour the layout's rule asks for, or None when unknown."""
    rule = get_layout(layout).photo_background
    if rule == "birth-year":
        if tanggal_lahir is None:
            return None
        return "red" if tanggal_lahir.year % 2 else "blue"
    return rule


def minimum_pixels(layout: str = DEFAULT_LAYOUT) -> tuple[int, int]:
    """The smallest 3:4 photo (width, height in pixels) the layout accepts."""
    box = get_layout(layout).photo
    if box is None:
        raise PhotoError(f"card layout {layout} has no photo", "no-photo-box", layout=layout)
    width = math.ceil(box.pixels()[0] / MAX_UPSCALE)
    return width, math.ceil(width * ASPECT[1] / ASPECT[0])


def prepare_photo(
    data: bytes,
    *,
    tanggal_lahir: date | None = None,
    layout: str = DEFAULT_LAYOUT,
    crop: tuple[int, int, int, int] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PreparedPhoto:
    """Turn an uploaded JPEG/PNG into the card's photo JPEG.

    `crop` is an optional (left, top, right, bottom) box in pixels of the upright upload; the
    largest centred 3:4 area of it (or of the whole image) is kept.
    """
    card_layout = get_layout(layout)
    smallest = minimum_pixels(layout)
    target = card_layout.photo.pixels()
    image = to_rgb(open_upload(data, "photo", max_bytes))
    box = _three_four(image.size, crop)
    _check_resolution(image.size, box, crop, smallest, target)
    image = image.crop(box)
    warnings = []
    if image.width < target[0]:
        warnings.append(PhotoWarning(
            "low-resolution",
            f"photo is only {image.width} x {image.height} pixels after cropping; the card "
            f"prints it at {target[0]} x {target[1]}, so it will look blurred",
            {"width": image.width, "height": image.height,
             "print_width": target[0], "print_height": target[1]},
        ))
    image = image.resize(target, Image.Resampling.LANCZOS)
    background = background_colour(image)
    expected = expected_background(layout, tanggal_lahir)
    if expected is not None and background != expected:
        warnings.append(_background_warning(background, expected, card_layout.photo_background,
                                            layout, tanggal_lahir))
    out = io.BytesIO()
    without_metadata(image).save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=False)
    return PreparedPhoto(out.getvalue(), image.size, background, tuple(warnings))


def _background_warning(found: str, expected: str, rule: str, layout: str,
                        tanggal_lahir: date | None) -> PhotoWarning:
    if rule == "birth-year" and tanggal_lahir:
        reason, why = "birth-year", f"born in {tanggal_lahir.year}"
    elif rule == "orange":
        reason, why = "wna", "WNA card"
    else:
        reason, why = "layout", f"layout {layout}"
    return PhotoWarning(
        "background-colour",
        f"photo background looks {found}, but the rule asks for {expected} ({why})",
        {"found": found, "expected": expected, "reason": reason,
         "year": tanggal_lahir.year if tanggal_lahir else None, "layout": layout},
    )


def _check_resolution(size: tuple[int, int], box: tuple[int, int, int, int],
                      crop: tuple[int, int, int, int] | None, smallest: tuple[int, int],
                      target: tuple[int, int]) -> None:
    """Refuse a 3:4 part narrower than `smallest` (its height follows: 118 px wide is
    157-158 px high, as the 3:4 cut rounds): it would print as a blur of pixels."""
    width, height = box[2] - box[0], box[3] - box[1]
    if width >= smallest[0]:
        return
    part = "the chosen crop of the photo" if crop is not None else "photo"
    raise PhotoError(
        f"{part} is too small: its 3:4 part is {width} x {height} pixels (the image is "
        f"{size[0]} x {size[1]}); a card photo needs at least {smallest[0]} x {smallest[1]} "
        f"pixels (it prints at {target[0]} x {target[1]}); take it again closer or with a "
        "better camera", "too-small", what="photo", width=width, height=height,
        image_width=size[0], image_height=size[1], min_width=smallest[0],
        min_height=smallest[1], print_width=target[0], print_height=target[1],
        cropped=crop is not None,
    )


def _three_four(
    size: tuple[int, int], crop: tuple[int, int, int, int] | None
) -> tuple[int, int, int, int]:
    width, height = size
    left, top, right, bottom = crop if crop is not None else (0, 0, width, height)
    if not (0 <= left < right <= width and 0 <= top < bottom <= height):
        raise PhotoError(
            f"photo crop box {crop} is not inside the {width} x {height} photo",
            "crop-outside", what="photo", crop=crop, width=width, height=height,
        )
    box_w, box_h = right - left, bottom - top
    if box_w * ASPECT[1] > box_h * ASPECT[0]:
        new_w, new_h = box_h * ASPECT[0] // ASPECT[1], box_h
    else:
        new_w, new_h = box_w, box_w * ASPECT[1] // ASPECT[0]
    x = left + (box_w - new_w) // 2
    y = top + (box_h - new_h) // 2
    return x, y, x + new_w, y + new_h


def background_colour(image: Image.Image) -> str:
    """The colour name of the photo's top corners: red, orange, yellow, green, blue, purple,
    white, grey or black."""
    width, height = image.size
    cw, ch = max(1, int(width * CORNER)), max(1, int(height * CORNER))
    patches = [image.crop((0, 0, cw, ch)), image.crop((width - cw, 0, width, ch))]
    medians = [ImageStat.Stat(patch).median for patch in patches]
    r, g, b = (sum(channel) / len(medians) / 255 for channel in zip(*medians, strict=True))
    return colour_name(r, g, b)


def colour_name(r: float, g: float, b: float) -> str:
    """Name an RGB colour (0..1) coarsely, as a clerk would."""
    hue, saturation, value = colorsys.rgb_to_hsv(r, g, b)
    if value < 0.2:
        return "black"
    if saturation < 0.25:
        return "white" if value > 0.8 else "grey"
    degrees = hue * 360
    for limit, name in ((15, "red"), (45, "orange"), (70, "yellow"), (170, "green"),
                        (260, "blue"), (330, "purple")):
        if degrees < limit:
            return name
    return "red"
