"""The annual evaluation report as a PDF (ReportLab): the SKM results as the regulation presents
them, the service indicators, their charts, and how each figure was computed."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from flask_babel import format_datetime
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from registry.evaluation import Evaluation
from registry.skm import IKM_GRADES, SKM_GRADES

from . import chartsets, report_tables, wording
from . import formatting as f

_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=9, leading=12)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7, leading=9)
H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontSize=16)
H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=12, spaceBefore=10)
HEAD = colors.HexColor("#dfe7ef")


def _table(rows: report_tables.Rows, widths: Sequence[float] | None = None,
           total_row: bool = False, font_size: int = 8) -> Table:
    style = ParagraphStyle("cell", parent=SMALL, fontSize=font_size, leading=font_size + 2)
    figure = ParagraphStyle("figure", parent=style, alignment=TA_RIGHT)
    cells = [[Paragraph(_escape(c), figure if r and _NUMERIC.match(c) else style)
              for c in row] for r, row in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = [("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if total_row:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f1f4f7")))
    table.setStyle(TableStyle(commands))
    return table


_NUMERIC = re.compile(r"^[-–\d.,% ]+$|^\d[\d.,]* (hari|days)$")


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _method() -> list:
    return [Paragraph(_escape(_(
        "The community satisfaction survey (SKM) follows PermenPAN-RB 14/2017: residents rate "
        "nine elements of the service from 1 to 4. The average of an element (NRR) is the sum "
        "of its scores divided by the number of answers it got; the index is the sum of the "
        "nine NRRs, each weighted exactly 1/9, and the SKM score is the index × 25 (25–100). "
        "Every figure is computed with exact fractions and rounded half-up only when shown; the "
        "grade is read from the score as shown with two decimals: %(grades)s.",
        grades=wording.grade_scale(SKM_GRADES))), BODY),
        Paragraph(_escape(_(
            "Answers are anonymous: a resident answers with a one-time code given at the "
            "handover, and the answer keeps only its office, its day and its channel (kiosk or "
            "paper form), nothing that leads back to the code, the card or the person. A paper "
            "form counts once by the serial printed on it.")), BODY)]


def _skm(ev: Evaluation, names: dict[str, str], charts: dict) -> list:
    overall = ev.survey.overall
    story = [Paragraph(_escape(_("1. Community satisfaction survey (SKM)")), H2), *_method(),
             Spacer(1, 3 * mm),
             _table(report_tables.elements(overall),
                    [12 * mm, 62 * mm, 16 * mm, 16 * mm, 15 * mm, 18 * mm, 16 * mm, 13 * mm],
                    total_row=True),
             Spacer(1, 3 * mm), charts["elements"]]
    weakest = overall.weakest()
    if weakest is not None and overall.respondents:
        story.append(Paragraph(_escape(_(
            "The lowest-scoring element is %(element)s (NRR %(nrr)s, score %(score)s, %(n)s "
            "answers): improvement should start there.",
            element=wording.element_label(weakest.element.key), nrr=f.nrr(weakest.nrr),
            score=f.score(weakest.converted), n=f.count(weakest.answers))), BODY))
    if overall.ikm_grade is not None:
        story.append(Paragraph(_escape(_(
            "For comparison only: on the grade scale of the former IKM (KepMenPAN 25/2004: "
            "%(scale)s) the same score would be graded %(grade)s. The IKM asked about 14 "
            "elements, so only the scales are compared.",
            scale=wording.grade_scale(IKM_GRADES), grade=overall.ikm_grade.letter)), SMALL))
    channels = ", ".join(f"{wording.CHANNELS[c]} {f.count(n)}"
                         for c, n in sorted(ev.survey.by_channel.items())) or f.DASH
    story += [Paragraph(_escape(_("Respondents by channel: %(channels)s.",
                                  channels=channels)), BODY),
              KeepTogether([Paragraph(_escape(_("SKM per office")), H2),
                            _table(report_tables.offices(ev, names),
                                   [62 * mm, 20 * mm, 22 * mm, 20 * mm, 18 * mm, 30 * mm])]),
              Spacer(1, 3 * mm), charts["offices"],
              KeepTogether([Paragraph(_escape(_("SKM per month")), H2),
                            _table(report_tables.months(ev),
                                   [45 * mm, 25 * mm, 20 * mm, 35 * mm])]),
              Spacer(1, 3 * mm), charts["trend"]]
    return story


def _indicators(ev: Evaluation, names: dict[str, str], charts: dict) -> list:
    return [
        PageBreak(), Paragraph(_escape(_("2. Service indicators")), H2),
        Paragraph(_escape(_("Applications, cards printed and cards handed over")), H2),
        _table(report_tables.volumes(ev, names), [70 * mm, 32 * mm, 32 * mm, 32 * mm],
               total_row=True),
        Spacer(1, 3 * mm), charts["volumes"],
        KeepTogether([Paragraph(_escape(_("Time from application to handover")), H2),
                      Paragraph(_escape(_(
                          "Median and 90th percentile by inclusive linear interpolation (as "
                          "spreadsheet PERCENTILE.INC), over the cards handed over in the "
                          "period that came from an application.")), SMALL),
                      _table(report_tables.lead_times(ev, names),
                             [70 * mm, 25 * mm, 30 * mm, 30 * mm], total_row=True)]),
        Spacer(1, 3 * mm), charts["lead_times"],
        KeepTogether([Paragraph(_escape(_("Cards printed by reason")), H2),
                      _table(report_tables.reprints(ev, names),
                             [62 * mm, 24 * mm, 24 * mm, 24 * mm, 28 * mm], total_row=True)]),
        Spacer(1, 3 * mm), charts["reprints"],
        KeepTogether([Paragraph(_escape(_("Printers")), H2),
                      Paragraph(_escape(_(
                          "Uptime is the share of the observed time a printer was ready, from "
                          "the state changes it reported; a fault lasts until the next good "
                          "print.")), SMALL),
                      _table(report_tables.printers(ev),
                             [30 * mm, 20 * mm, 14 * mm, 17 * mm, 42 * mm, 17 * mm, 18 * mm,
                              18 * mm])]),
        Spacer(1, 3 * mm), charts["uptime"],
        KeepTogether([Paragraph(_escape(_("Blank cards")), H2),
                      Paragraph(_escape(_(
                          "Days left: the closing stock divided by the blanks used (printed "
                          "and spoiled) per day over the %(n)s days before the end of the "
                          "period.", n=ev.stock[0].window_days if ev.stock else 30)), SMALL),
                      _table(report_tables.stock(ev, names),
                             [34 * mm, 14 * mm, 16 * mm, 16 * mm, 16 * mm, 15 * mm, 18 * mm,
                              15 * mm, 16 * mm, 18 * mm], font_size=7)]),
        Spacer(1, 3 * mm), charts["stock"],
    ]


def render(ev: Evaluation, names: dict[str, str], *, scope: str, author: str) -> bytes:
    """The report of ``ev`` for the offices described by ``scope`` (e.g. the KPT's name)."""
    charts = chartsets.all_charts(ev, names)
    buffer = io.BytesIO()
    title = _("Service evaluation report: KTP issuance")
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm, title=title, author=author,
                            subject=scope)
    generated = format_datetime(ev.generated_at, "dd-MM-yyyy HH:mm")
    story = [Paragraph(_escape(title), H1),
             Paragraph(_escape(_("Period %(period)s · %(scope)s",
                                 period=ev.period.label(), scope=scope)), BODY),
             Paragraph(_escape(_("Generated %(when)s by %(who)s", when=generated, who=author)),
                       SMALL),
             Spacer(1, 4 * mm), Paragraph(_escape(_("Summary")), H2),
             _table(report_tables.summary(ev), [70 * mm, 45 * mm, 60 * mm]),
             *_skm(ev, names, charts), *_indicators(ev, names, charts)]

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(16 * mm, 10 * mm, f"{title} · {ev.period.label()} · {scope}")
        canvas.drawRightString(A4[0] - 16 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
