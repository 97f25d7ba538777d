"""Reading card PDFs back for the tests: text, character boxes, fonts, rasters."""

from __future__ import annotations

import re

import numpy as np
import pypdfium2 as pdfium

from printing.layout import Box

PT_MM = 25.4 / 72


def page_size_mm(pdf: bytes, index: int = 0) -> tuple[float, float]:
    doc = pdfium.PdfDocument(pdf)
    width, height = doc[index].get_size()
    return width * PT_MM, height * PT_MM


def text(pdf: bytes, index: int = 0) -> str:
    doc = pdfium.PdfDocument(pdf)
    return doc[index].get_textpage().get_text_range()


def text_in(pdf: bytes, box: Box, height_mm: float, index: int = 0) -> str:
    """Text pdfium finds inside a layout box (mm from the top-left)."""
    doc = pdfium.PdfDocument(pdf)
    page = doc[index]
    tp = page.get_textpage()
    return tp.get_text_bounded(
        left=box.x / PT_MM, bottom=(height_mm - box.bottom) / PT_MM,
        right=box.right / PT_MM, top=(height_mm - box.y) / PT_MM,
    )


def char_boxes(pdf: bytes, index: int = 0) -> list[tuple[str, Box]]:
    """Every drawn character with its glyph box, in mm from the card's top-left."""
    doc = pdfium.PdfDocument(pdf)
    page = doc[index]
    height = page.get_size()[1]
    tp = page.get_textpage()
    chars = []
    for i in range(tp.count_chars()):
        ch = tp.get_text_range(i, 1)
        if not ch.strip():
            continue
        left, bottom, right, top = tp.get_charbox(i)
        chars.append((ch, Box(left * PT_MM, (height - top) * PT_MM,
                              (right - left) * PT_MM, (top - bottom) * PT_MM)))
    return chars


def fonts(pdf: bytes) -> list[dict[str, str]]:
    """Each font dictionary's BaseFont, and whether a FontFile2 (embedded TrueType) backs it."""
    found = []
    for m in re.finditer(rb"<<[^<>]*/Type /Font\b[^<>]*>>", pdf):
        body = m.group()
        base = re.search(rb"/BaseFont /([^\s/]+)", body).group(1).decode()
        descriptor = re.search(rb"/FontDescriptor (\d+) 0 R", body)
        embedded = False
        if descriptor:
            obj = re.search(rb"\n%s 0 obj\n(.*?)endobj" % descriptor.group(1), pdf, re.S).group(1)
            embedded = b"/FontFile2" in obj
        found.append({"base": base, "embedded": embedded})
    return found


def raster(pdf: bytes, index: int = 0, dpi: int = 300) -> np.ndarray:
    doc = pdfium.PdfDocument(pdf)
    return doc[index].render(scale=dpi / 72, rev_byteorder=True).to_numpy()[:, :, :3].copy()


def squash(value: str) -> str:
    return "".join(value.split())
