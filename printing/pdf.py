"""The card as a PDF page of exactly ID-1 size, drawn with ReportLab.

Output is byte-identical for identical input: ReportLab's invariant mode fixes the dates and
document id, image names are digests of their content, and nothing else varies. Fonts are the
shipped TrueType files, embedded as subsets. The photo JPEG is embedded as it is (DCTDecode,
no re-encoding); ASCII85 wrapping of images is switched off process-wide, as it only makes
files bigger and slower to write.

What never changes between cards of one layout (background, labels, colons, the white barcode
field) is a form XObject drawn once per document and reused by every page of a batch.
"""

from __future__ import annotations

import hashlib
import io
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .card import CardData
from .fitting import FittedText
from .fonts import card_font
from .layout import Box, Layout
from .plan import CardPlan, plan_card

rl_config.useA85 = 0

PLACEHOLDER_GREY = (0.8, 0.8, 0.8)


def render_pdf(card: CardData) -> bytes:
    """One card as a one-page PDF (85.60 x 53.98 mm)."""
    plan = plan_card(card)
    out = io.BytesIO()
    pages = CardPages(out, compress=False)
    pages.add(plan)
    pages.save()
    return out.getvalue()


class CardPages:
    """A ReportLab document of card pages, one `add` per card.

    `compress` deflates page contents and fonts. A batch wants it (fonts are stored once per
    chunk, page contents shrink by two thirds); a single card is faster without it (deflating
    its two font subsets was a third of its render time) at about 25 KB more per file.
    """

    def __init__(self, fileobj: BinaryIO, compress: bool = True):
        regular = card_font("regular")
        self.canvas = Canvas(
            fileobj, invariant=1, pageCompression=int(compress), pdfVersion=(1, 4),
            initialFontName=regular.pdf_name, initialFontSize=6,
        )
        self.canvas.setCreator("printing (KTP card renderer)")
        self._forms: set[str] = set()
        self.count = 0

    def add(self, plan: CardPlan) -> None:
        layout = plan.layout
        c = self.canvas
        c.setPageSize((layout.width * mm, layout.height * mm))
        c.doForm(self._form(plan))
        if layout.photo is not None and plan.photo is not None:
            c.drawImage(
                _JpegFile(plan.photo), *_rect(layout, layout.photo),
                preserveAspectRatio=True, anchor="c",
            )
        elif layout.photo is not None:
            c.setFillColorRGB(*PLACEHOLDER_GREY)
            c.rect(*_rect(layout, layout.photo), stroke=0, fill=1)
        if layout.signature is not None and plan.signature is not None:
            c.drawImage(
                ImageReader(io.BytesIO(plan.signature)), *_rect(layout, layout.signature),
                mask="auto", preserveAspectRatio=True, anchor="c",
            )
        c.setFillColorRGB(0, 0, 0)
        _texts(c, layout, plan.values)
        if plan.bars:
            path = c.beginPath()
            for bar in plan.bars:
                path.rect(*_rect(layout, bar))
            c.drawPath(path, stroke=0, fill=1)
        c.showPage()
        self.count += 1

    def save(self) -> None:
        self.canvas.save()

    def _form(self, plan: CardPlan) -> str:
        layout = plan.layout
        name = "card" + hashlib.sha1(plan.arrangement.encode()).hexdigest()[:16]
        if name in self._forms:
            return name
        c = self.canvas
        c.beginForm(name, lowerx=0, lowery=0, upperx=layout.width * mm, uppery=layout.height * mm)
        if layout.background is not None:
            c.setFillColorRGB(*layout.background)
            c.rect(0, 0, layout.width * mm, layout.height * mm, stroke=0, fill=1)
        if layout.barcode is not None:
            c.setFillColorRGB(1, 1, 1)
            c.rect(*_rect(layout, layout.barcode.box), stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        _texts(c, layout, plan.labels)
        c.endForm()
        self._forms.add(name)
        return name


def _rect(layout: Layout, box: Box) -> tuple[float, float, float, float]:
    """A layout box (mm, from the top) as ReportLab's x, y, width, height (points, from below)."""
    return box.x * mm, (layout.height - box.bottom) * mm, box.w * mm, box.h * mm


def _texts(c: Canvas, layout: Layout, texts: tuple[FittedText, ...]) -> None:
    """All `texts` in one text object, the font set only when it changes."""
    t = c.beginText()
    current = None
    for fitted in texts:
        if (fitted.font.pdf_name, fitted.size) != current:
            current = (fitted.font.pdf_name, fitted.size)
            t.setFont(*current)
        for line in fitted.lines:
            t.setTextOrigin(line.x * mm, (layout.height - line.baseline) * mm)
            t.textOut(line.text)
    c.drawText(t)


class _JpegFile(io.BytesIO):
    """A JPEG in memory that ReportLab embeds as it is, named by a digest of its bytes.

    Given an `ImageReader`, ReportLab decodes every pixel just to name the image; given a file
    name ending in ".jpg" it copies the JPEG stream untouched. This file object also answers
    `os.fspath` and `str` with "<sha1>.jpg", so it takes the second path: no decoding, and a
    name that is the same for the same photo (deterministic output, one copy per document).
    """

    def __init__(self, data: bytes):
        super().__init__(data)
        self._name = hashlib.sha1(data, usedforsecurity=False).hexdigest() + ".jpg"

    def __fspath__(self) -> str:
        return self._name

    def __str__(self) -> str:
        return self._name
