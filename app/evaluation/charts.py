"""Charts drawn on the server with ReportLab graphics: one `Drawing` per chart, embedded as is
in the PDF report and turned into SVG for the pages (no chart library, no CDN, no script).

The builders take plain numbers and labels already translated and formatted by the caller, so
a chart and the table beside it always show the same figures.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isString

WIDTH = 520
FONT = "Helvetica"
INK = colors.HexColor("#1d2733")
GRID = colors.HexColor("#c9d1da")
SERIES = (colors.HexColor("#1f5f8b"), colors.HexColor("#e08a1e"), colors.HexColor("#3c9a5f"),
          colors.HexColor("#b23a48"))
GRADE_COLOURS = {"A": colors.HexColor("#2e7d4f"), "B": colors.HexColor("#3f7fb5"),
                 "C": colors.HexColor("#d9822b"), "D": colors.HexColor("#b23a48"),
                 None: colors.HexColor("#9aa5b1")}


# ReportLab names its standard fonts; browsers need a family and a weight.
_BROWSER_FONTS = {
    FONT + "-Bold": "font-family: Helvetica, Arial, sans-serif; font-weight: bold;",
    FONT: "font-family: Helvetica, Arial, sans-serif;",
}


@dataclass(frozen=True)
class Mark:
    """A reference line across the value axis (a grade boundary, a target)."""

    value: float
    text: str


class Chart(Drawing):
    """A drawing that knows its title (for the SVG's <title> and the page's alt text)."""

    _attrMap = AttrMap(BASE=Drawing, caption=AttrMapValue(isString))

    def __init__(self, width: float, height: float, caption: str) -> None:
        super().__init__(width, height)
        self.caption = caption
        self.add(String(0, height - 12, caption, fontName=FONT + "-Bold", fontSize=11,
                        fillColor=INK))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    labels: Sequence[str]  # the value written at the end of each bar


def hbars(title: str, labels: Sequence[str], values: Sequence[float | None],
          value_labels: Sequence[str], *, maximum: float, colours: Sequence = (),
          marks: Sequence[Mark] = (), label_width: int = 210,
          more: Sequence[Series] = (), name: str = "") -> Chart:
    """Horizontal bars, the first label on top; ``None`` draws no bar but keeps its label.
    ``colours`` colours the bars of a single series one by one; ``more`` adds series (then a
    legend names them, the first as ``name``)."""
    series = [Series(name, values, value_labels), *more]
    rows = max(len(labels), 1)
    row_height = 14 + 8 * len(series)
    legend = len(series) > 1
    height = 40 + rows * row_height + (14 if marks else 0) + (16 if legend else 0)
    drawing = Chart(WIDTH, height, title)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 20
    chart.width, chart.height = WIDTH - label_width - 60, rows * row_height
    chart.data = [[v or 0 for v in reversed(s.values)] or [0] for s in series]
    chart.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, maximum
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = FONT, 8
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, GRID
    chart.bars.strokeColor = None
    for n, _series in enumerate(series):
        chart.bars[n].fillColor = SERIES[n % len(SERIES)]
    if len(series) == 1:
        for row, colour in enumerate(reversed(list(colours))):
            chart.bars[(0, row)].fillColor = colour
    chart.barLabelFormat = "values"
    chart.barLabelArray = [list(reversed(s.labels)) or [""] for s in series]
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 8
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    chart.barSpacing, chart.groupSpacing = 1, 5
    drawing.add(chart)
    for mark in marks:
        x = chart.x + chart.width * mark.value / maximum
        drawing.add(Line(x, chart.y, x, chart.y + chart.height, strokeColor=INK,
                         strokeDashArray=(2, 2), strokeWidth=0.6))
        drawing.add(String(x, chart.y + chart.height + 3, mark.text, fontName=FONT,
                           fontSize=7, textAnchor="middle", fillColor=INK))
    if legend:
        drawing.add(_legend(chart.x, height - 24, [s.name for s in series]))
    return drawing


def _legend(x: float, y: float, names: Sequence[str]) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment, legend.columnMaximum = "right", 1
    legend.fontName, legend.fontSize = FONT, 8
    legend.dx = legend.dy = 7
    legend.deltax = 150
    legend.colorNamePairs = list(zip(SERIES, names, strict=False))
    return legend


def vbars(title: str, categories: Sequence[str], series: Sequence[Sequence[float | None]],
          names: Sequence[str], *, maximum: float | None = None,
          value_labels: Sequence[Sequence[str]] | None = None, marks: Sequence[Mark] = (),
          colours: Sequence = SERIES, every: int = 1) -> Chart:
    """Grouped vertical bars, one group per category and one colour per series."""
    legend_rows = 1 if len(series) > 1 else 0
    drawing = Chart(WIDTH, 210 + legend_rows * 14, title)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 45, WIDTH - 60, 130
    chart.data = [[v or 0 for v in s] for s in series] or [[0]]
    chart.categoryAxis.categoryNames = [c if i % every == 0 else ""
                                        for i, c in enumerate(categories)] or [""]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 8
    chart.categoryAxis.labels.angle = 45 if every > 1 or len(categories) > 12 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if chart.categoryAxis.labels.angle else "n"
    top = maximum or max([v or 0 for s in series for v in s] + [1]) * 1.15
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = FONT, 8
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, GRID
    chart.bars.strokeColor = None
    for n, colour in enumerate(colours[:len(series)]):
        chart.bars[n].fillColor = colour
    if value_labels is not None:
        chart.barLabelFormat = "values"
        chart.barLabelArray = [list(v) for v in value_labels]
        chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 7
        chart.barLabels.boxAnchor, chart.barLabels.dy = "s", 2
    chart.groupSpacing = 4 if len(categories) > 20 else 8
    drawing.add(chart)
    for mark in marks:
        y = chart.y + chart.height * mark.value / top
        drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=INK,
                         strokeDashArray=(2, 2), strokeWidth=0.6))
        drawing.add(String(chart.x + chart.width + 2, y - 2, mark.text, fontName=FONT,
                           fontSize=7, fillColor=INK))
    if legend_rows:
        drawing.add(_legend(chart.x, drawing.height - 24, names))
    return drawing


def svg(drawing: Drawing) -> str:
    text = renderSVG.drawToString(drawing)
    for name, css in _BROWSER_FONTS.items():
        text = text.replace(f"font-family: {name};", css)
    title = escape(getattr(drawing, "caption", ""))
    return text.replace("<title>...</title>", f"<title>{title}</title>", 1).replace(
        "<desc>...</desc>", "", 1)


def data_uri(drawing: Drawing) -> str:
    """For ``<img src>``: the pages' strict Content-Security-Policy allows data: images but
    not the inline style attributes an SVG element in the page would carry."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(drawing).encode()).decode()
