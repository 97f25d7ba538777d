"""Blank paper questionnaires to print, one numbered form per page: the serial printed on each
is what makes a paper answer count once when a clerk types it in."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from . import wording

BOX = 3.2 * mm


def serial(office_code: str, year: int, number: int) -> str:
    """``SKM-33.14-2026-0001``: unique per office (the year keeps numbers apart over years)."""
    return f"SKM-{office_code}-{year}-{number:04d}"


def _lines(canvas: Canvas, text: str, x: float, y: float, width: float, size: float) -> float:
    """Write ``text`` wrapped to ``width`` from ``y`` down; the y below it."""
    words, line = text.split(), ""
    for word in words:
        trial = f"{line} {word}".strip()
        if canvas.stringWidth(trial, "Helvetica-Bold", size) > width and line:
            canvas.drawString(x, y, line)
            y, line = y - size * 1.3, word
        else:
            line = trial
    canvas.drawString(x, y, line)
    return y - size * 1.3


def _page(canvas: Canvas, office_name: str, form_serial: str) -> None:
    width, height = A4
    left, right = 18 * mm, width - 18 * mm
    y = height - 20 * mm
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(left, y, _("Community satisfaction survey (SKM) questionnaire").upper())
    canvas.setFont("Helvetica", 9)
    canvas.drawRightString(right, y, _("Form no. %(serial)s", serial=form_serial))
    y -= 6 * mm
    service = _("KTP service")
    canvas.drawString(left, y, f"{office_name} · {service}")
    y -= 6 * mm
    canvas.drawString(left, y, _("Date: ____________   Survey code (if you have one): "
                                 "________-________"))
    y -= 5 * mm
    canvas.setFont("Helvetica-Oblique", 8)
    canvas.drawString(left, y, _("Tick one box per question. Please do not write your name or "
                                 "NIK: your answers are anonymous."))
    y -= 8 * mm
    column = (right - left) / 4
    for question in wording.QUESTIONS:
        canvas.setFont("Helvetica-Bold", 9)
        y = _lines(canvas, f"{question.element.number}. {question.text}", left, y,
                   right - left, 9)
        canvas.setFont("Helvetica", 8.5)
        labels = [f"{n}. {word}" for n, word in enumerate(question.answers, start=1)]
        per_row = 4 if all(canvas.stringWidth(t, "Helvetica", 8.5) + BOX + 4 * mm < column
                           for t in labels) else 2
        step = (right - left) / per_row
        for n, text in enumerate(labels):
            x = left + (n % per_row) * step
            row_y = y - (n // per_row) * 5 * mm
            canvas.rect(x, row_y - 1, BOX, BOX)
            canvas.drawString(x + BOX + 2 * mm, row_y, text)
        y -= (4 + 5 * (len(labels) // per_row)) * mm
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(left, y, _("Anything else you want to tell us? (optional)"))
    canvas.rect(left, y - 32 * mm, right - left, 29 * mm)
    canvas.setFont("Helvetica", 7)
    canvas.drawString(left, 12 * mm, _("PermenPAN-RB 14/2017 · %(serial)s", serial=form_serial))


def render(office_code: str, office_name: str, year: int, first: int, count: int) -> bytes:
    """``count`` forms numbered from ``first``."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(_("Service satisfaction survey"))
    for number in range(first, first + count):
        _page(canvas, office_name, serial(office_code, year, number))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
