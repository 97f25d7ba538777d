"""Splitting the 300-dpi card into the printer's panels: K (resin black), colour (YMC), O.

The split rule, applied to the crisp render of the card PDF (text and vector anti-aliasing
off, so an edge pixel is either ink or background, never a grey blend):

* K: a pixel whose red, green and blue are all below 64 (black or near-black) and that lies
  outside every raster image of the page (photo, signature). That is the text, the barcode
  bars and any other near-black vector art: 1-bit resin, the only ink a scanner reads
  reliably. Dark hair or clothes in the photo are never K (no resin speckle over the face).
* colour: everything else, with K pixels knocked out to white, so no dye lies under resin.
  White means no dye; the driver turns RGB into Y, M, C levels.
* O: overlay varnish over the whole bitmap except the layout's `overlay_holes`.

Geometry: the printer takes a landscape 1016 x 648 bitmap (Evolis, portrait 648 x 1016 after
rotation, which is the driver's job). The card at exactly 300 dpi is 1011 x 638 px; it is
rendered centred in that bitmap and the rim (2-3 px left/right, 5 px top/bottom) is filled by
extending the card's edge pixels outwards: a bleed, so the cut card has no white border.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from .card import CardData
from .layout import MM_PER_INCH, PRINTER_DPI, Box
from .layouts import get_layout
from .pdf import render_pdf
from .raster import PDFIUM_LOCK, open_page, page_pixels, render_into

BITMAP_WIDTH, BITMAP_HEIGHT = 1016, 648
K_THRESHOLD = 64
# An RGBx pixel read as a little-endian uint32 is 0xXXBBGGRR; a channel is below 64 exactly
# when its top two bits are clear, so "all three below 64" is one AND against 0xC0C0C0.
_K_MASK = np.uint32(0x00C0C0C0)
_local = threading.local()
_CRISP = pdfium_c.FPDF_RENDER_NO_SMOOTHTEXT | pdfium_c.FPDF_RENDER_NO_SMOOTHPATH


@dataclass(frozen=True)
class Panels:
    """One card side for a YMCKO printer, each image landscape 1016 x 648.

    `k`: mode "1", black = resin. `colour`: mode "RGB", white = no dye. `overlay`: mode "1",
    black = varnish.
    """

    k: Image.Image
    colour: Image.Image
    overlay: Image.Image


def render_panels(card: CardData) -> Panels:
    """The card's panels, split from its own PDF."""
    layout = get_layout(card.layout)
    return panels_from_pdf(render_pdf(card), overlay_holes=layout.overlay_holes)


def panels_from_pdf(pdf: bytes, index: int = 0, overlay_holes: Iterable[Box] = ()) -> Panels:
    """Panels of page `index` of a card PDF (one card, or one page of a batch)."""
    with open_page(pdf, index) as page:
        rgbx, images, left, top = _render(page)
    return split(rgbx, images, _hole_boxes(overlay_holes, left, top))


def iter_panels(
    source: bytes | str | Path, overlay_holes: Iterable[Box] = ()
) -> Iterator[Panels]:
    """Panels of every page of a batch PDF (bytes or a file path), the document opened once.

    The PDFium lock is held per page, not across the iteration, so other threads may render
    while a print job walks a long batch.
    """
    holes = tuple(overlay_holes)
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(source)
        count = len(doc)
    try:
        for index in range(count):
            with PDFIUM_LOCK:
                page = doc[index]
                try:
                    rgbx, images, left, top = _render(page)
                finally:
                    page.close()
            yield split(rgbx, images, _hole_boxes(holes, left, top))
    finally:
        with PDFIUM_LOCK:
            doc.close()


def _render(page: pdfium.PdfPage) -> tuple[np.ndarray, list[tuple[int, int, int, int]], int, int]:
    """The crisp printer-sized render of a page (bleed filled) and its images' pixel boxes."""
    width_pt, height_pt = page.get_size()
    card_px = page_pixels(width_pt, height_pt, PRINTER_DPI)
    left = (BITMAP_WIDTH - card_px[0]) // 2
    top = (BITMAP_HEIGHT - card_px[1]) // 2
    rgbx = render_into(page, _buffer(), left, top, card_px, _CRISP)
    scale = (card_px[0] / width_pt, card_px[1] / height_pt)
    images = [
        _pixel_box(obj.get_bounds(), height_pt, scale, left, top)
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
    ]
    _bleed(rgbx, left, top, card_px)
    return rgbx, images, left, top


def _buffer() -> np.ndarray:
    """This thread's printer-sized RGBx buffer, reused from card to card."""
    buffer = getattr(_local, "buffer", None)
    if buffer is None:
        buffer = _local.buffer = np.empty((BITMAP_HEIGHT, BITMAP_WIDTH, 4), dtype=np.uint8)
    return buffer


def split(
    rgbx: np.ndarray,
    images: Iterable[tuple[int, int, int, int]] = (),
    holes: Iterable[tuple[int, int, int, int]] = (),
) -> Panels:
    """Apply the split rule to an RGBx bitmap (modified in place) given image pixel boxes."""
    height, width = rgbx.shape[:2]
    pixels = rgbx.view("<u4").reshape(height, width)
    k = (pixels & _K_MASK) == 0
    for x0, y0, x1, y1 in images:
        k[y0:y1, x0:x1] = False
    pixels[k] = 0xFFFFFFFF
    colour = Image.frombytes("RGB", (width, height), rgbx.data, "raw", "RGBX")
    k_panel = Image.frombytes("1", (width, height), np.packbits(~k, axis=1).tobytes())
    overlay = Image.new("1", (width, height), 0)
    for x0, y0, x1, y1 in holes:
        overlay.paste(1, (x0, y0, x1, y1))
    return Panels(k=k_panel, colour=colour, overlay=overlay)


def _pixel_box(
    bounds: tuple[float, float, float, float], height_pt: float,
    scale: tuple[float, float], left: int, top: int,
) -> tuple[int, int, int, int]:
    """PDF bounds (points, from below) as a pixel box, widened by a pixel for resampling."""
    x0, y0, x1, y1 = bounds
    return (
        left + int(np.floor(x0 * scale[0])) - 1,
        top + int(np.floor((height_pt - y1) * scale[1])) - 1,
        left + int(np.ceil(x1 * scale[0])) + 1,
        top + int(np.ceil((height_pt - y0) * scale[1])) + 1,
    )


def _hole_boxes(holes: Iterable[Box], left: int, top: int) -> list[tuple[int, int, int, int]]:
    per_mm = PRINTER_DPI / MM_PER_INCH
    return [
        (left + round(h.x * per_mm), top + round(h.y * per_mm),
         left + round(h.right * per_mm), top + round(h.bottom * per_mm))
        for h in holes
    ]


def _bleed(rgbx: np.ndarray, left: int, top: int, card_px: tuple[int, int]) -> None:
    """Extend the card's edge pixels into the rim around it."""
    right, bottom = left + card_px[0], top + card_px[1]
    rgbx[:top] = rgbx[top]
    rgbx[bottom:] = rgbx[bottom - 1]
    rgbx[:, :left] = rgbx[:, left:left + 1]
    rgbx[:, right:] = rgbx[:, right - 1:right]
