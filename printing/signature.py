"""Preparing the holder's signature: black ink on a transparent ground, at the box's size.

A signature arrives as a photo or scan of paper: uneven light, grey paper, margins. It is cut
to the ink, the paper is made transparent (so the card background shows through) and the ink
is made black, then scaled to fit the layout's signature box at 300 dpi.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from .card import DEFAULT_LAYOUT
from .errors import PhotoError
from .layouts import get_layout
from .upload import DEFAULT_MAX_BYTES, open_upload, to_rgb, without_metadata

MARGIN = 0.04
MIN_CONTRAST = 48


def prepare_signature(
    data: bytes, *, layout: str = DEFAULT_LAYOUT, max_bytes: int = DEFAULT_MAX_BYTES
) -> bytes:
    """An uploaded JPEG/PNG signature as the card's PNG (mode LA: black, alpha = ink)."""
    box = get_layout(layout).signature
    if box is None:
        raise PhotoError(f"card layout {layout} has no signature", "no-signature-box",
                         layout=layout)
    target = box.pixels()
    grey = to_rgb(open_upload(data, "signature", max_bytes)).convert("L")
    paper, ink = _levels(grey)
    if paper - ink < MIN_CONTRAST:
        raise _no_ink()
    threshold = (paper + ink) // 2
    # 255 where fully ink, 0 where paper, a ramp between: anti-aliased edges survive.
    lut = [max(0, min(255, (paper - v) * 255 // max(1, paper - ink))) for v in range(256)]
    alpha = grey.point(lut)
    mask = grey.point(lambda v: 255 if v < threshold else 0)
    inked = mask.getbbox()
    if inked is None:
        raise _no_ink()
    alpha = alpha.crop(_with_margin(inked, grey.size))
    alpha = ImageOps.contain(alpha, target, Image.Resampling.LANCZOS)
    canvas = Image.new("L", target, 0)
    canvas.paste(alpha, ((target[0] - alpha.width) // 2, (target[1] - alpha.height) // 2))
    signature = Image.merge("LA", (Image.new("L", target, 0), canvas))
    out = io.BytesIO()
    without_metadata(signature).save(out, "PNG", optimize=False, compress_level=9)
    return out.getvalue()


def _no_ink() -> PhotoError:
    return PhotoError("signature: no ink found; sign with a dark pen on white paper", "no-ink",
                      what="signature")


def _levels(grey: Image.Image) -> tuple[int, int]:
    """(paper, ink) grey levels: the 90th and 2nd percentile of the histogram."""
    histogram = grey.histogram()
    total = sum(histogram)
    levels = []
    for fraction in (0.90, 0.02):
        count, target = 0, total * fraction
        for value, n in enumerate(histogram):
            count += n
            if count >= target:
                levels.append(value)
                break
    return levels[0], levels[1]


def _with_margin(box: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[int, ...]:
    left, top, right, bottom = box
    pad = int(max(right - left, bottom - top) * MARGIN) + 1
    return (
        max(0, left - pad), max(0, top - pad),
        min(size[0], right + pad), min(size[1], bottom + pad),
    )
