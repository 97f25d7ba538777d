"""The NIK barcode: Code128 vector bars on whole printer pixels, read back by zxing-cpp."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import zxingcpp

from printing import get_layout, render_panels, render_pdf
from printing.barcode import bar_runs, code128_modules
from printing.layout import MM_PER_INCH, PRINTER_DPI

from .pdftools import raster


def _decoded(image) -> list[tuple[str, str]]:
    return [(r.text, r.format.name) for r in zxingcpp.read_barcodes(image)]


def test_barcode_decodes_from_the_300_dpi_raster(card):
    assert ("3314011708810001", "Code128") in _decoded(raster(render_pdf(card)))


def test_barcode_decodes_from_the_k_panel(card):
    k = np.array(render_panels(card).k.convert("L"))
    assert ("3314011708810001", "Code128") in _decoded(k)


def test_bars_are_whole_printer_pixels_matching_the_code128_pattern(card):
    k = np.array(render_panels(card).k) == 0
    layout = get_layout(card.layout)
    per_mm = PRINTER_DPI / MM_PER_INCH
    box = layout.barcode.box
    left, top = 2, 5
    row = k[top + round((box.y + box.h / 2) * per_mm),
            left + round(box.x * per_mm): left + round(box.right * per_mm)]
    inked = np.flatnonzero(row)
    span = row[inked[0]: inked[-1] + 1]
    modules = np.array([bit == "1" for bit in code128_modules(card.nik)])
    assert np.array_equal(span, np.repeat(modules, layout.barcode.module_px))


def test_bars_are_vectors_not_a_pasted_image(card):
    doc = pdfium.PdfDocument(render_pdf(card))
    page = doc[0]
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    paths = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]))
    assert len(images) == 2  # photo and signature
    assert paths


def test_bar_runs_of_a_pattern():
    assert bar_runs("1101100111") == [(0, 2), (3, 2), (7, 3)]
