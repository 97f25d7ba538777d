"""The card PDF as pixels, rendered by PDFium (pypdfium2), so a print is exactly the preview.

PDFium is not thread-safe: every call into it here holds one process-wide lock, so the web
app may render previews from several threads.
"""

from __future__ import annotations

import ctypes
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from .card import CardData
from .pdf import render_pdf

PDFIUM_LOCK = threading.RLock()
PREVIEW_DPI = 300


@contextmanager
def open_page(pdf: bytes, index: int = 0) -> Iterator[pdfium.PdfPage]:
    """Page `index` of `pdf`, open under the PDFium lock for the duration of the block."""
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            page = doc[index]
            try:
                yield page
            finally:
                page.close()
        finally:
            doc.close()


def page_count(pdf: bytes) -> int:
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()


def page_pixels(width_pt: float, height_pt: float, dpi: int = PREVIEW_DPI) -> tuple[int, int]:
    """A page's size in whole pixels at `dpi`, rounded: the ID-1 card (85.60 x 53.98 mm) is
    1011 x 638 px at 300 dpi (1011.02 x 637.56). The panels place the card at this size too."""
    return round(width_pt / 72 * dpi), round(height_pt / 72 * dpi)


def rasterize(pdf: bytes, index: int = 0, dpi: int = PREVIEW_DPI) -> np.ndarray:
    """Page `index` as an RGB array (height, width, 3) at `dpi`, anti-aliased, for previews.

    The page is scaled to exactly `page_pixels` (PDFium's own scaling would round the width up
    to 1012 px, a column 2 % covered), so the preview is the card as the panels hold it.
    """
    with open_page(pdf, index) as page:
        width, height = page_pixels(*page.get_size(), dpi)
        out = np.empty((height, width, 4), dtype=np.uint8)
        render_into(page, out, 0, 0, (width, height))
    return out[:, :, :3]


def render_png(card: CardData, dpi: int = PREVIEW_DPI) -> bytes:
    """A PNG preview of the card, rendered from its PDF."""
    return png_from_pdf(render_pdf(card), dpi=dpi)


def png_from_pdf(pdf: bytes, index: int = 0, dpi: int = PREVIEW_DPI) -> bytes:
    image = Image.fromarray(rasterize(pdf, index, dpi), "RGB")
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), compress_level=3)
    return out.getvalue()


def render_into(page: pdfium.PdfPage, out: np.ndarray, left: int, top: int,
                size: tuple[int, int], flags: int = 0) -> np.ndarray:
    """Render `page` scaled to `size` px at (`left`, `top`) of `out`, a C-contiguous uint8
    array (height, width, 4) that becomes a white RGBx bitmap with the page on it.

    Rendering straight into a reused printer-sized buffer avoids allocating, zeroing and
    copying 2.6 MB per card.
    """
    height, width = out.shape[:2]
    buffer = (ctypes.c_ubyte * out.nbytes).from_buffer(out)
    bitmap = pdfium.PdfBitmap.new_native(
        width, height, pdfium_c.FPDFBitmap_BGRx, rev_byteorder=True, buffer=buffer
    )
    try:
        bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, height)
        pdfium_c.FPDF_RenderPageBitmap(
            bitmap, page, left, top, size[0], size[1], 0,
            flags | pdfium_c.FPDF_REVERSE_BYTE_ORDER,
        )
    finally:
        bitmap.close()
    return out
