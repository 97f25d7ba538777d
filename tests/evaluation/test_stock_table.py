"""The blank-card table adds up on the dashboard as in the report (opening + received +
transfers - printed - spoiled - returned = closing), and the daily use reads the same on the
page, in the report and in the CSV.

March 2026 (the window is the 30 days before 31 March ends):

    KPT 33.14       opening 100, received 50, sent 20 to Sragen, printed 2, spoiled 1 -> 127;
                    3 blanks used in the window: 0.100 a day
    Sragen 33.14.10 20 from the KPT, printed 1, returned 5 -> 14; 1 used: 0.033 a day
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale

from app.evaluation import report_tables
from registry import periods, stock
from registry.evaluation import evaluate

from . import world
from .test_dashboard import MARCH
from .world import utc


@pytest.fixture
def blanks(app, database):
    with database.write() as s:
        world.received(s, "33.14", 100, utc(2026, 2, 10))
        world.received(s, "33.14", 50, utc(2026, 3, 2))
        world.transfer(s, "33.14", "33.14.10", 20, utc(2026, 3, 3))
        world.used(s, "33.14", utc(2026, 3, 10))
        world.used(s, "33.14", utc(2026, 3, 11))
        world.spoiled(s, "33.14", utc(2026, 3, 12))
        world.used(s, "33.14.10", utc(2026, 3, 20))
        stock.give_back(s, world.CLERK, "33.14.10", 5, "kembali ke dinas").at = utc(2026, 3, 25)
    return database


class Table(HTMLParser):
    """The header and body rows of the table with ``id``, as text."""

    def __init__(self, html: str, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def number(text: str) -> int:
    """An Indonesian whole number (1.234; -20)."""
    return int(text.replace(".", "").replace("−", "-"))


def balances(rows: list[list[str]]) -> list[tuple[int, int]]:
    """(opening + received + transfers - printed - spoiled - returned, closing) per office."""
    header = rows[0]
    at = {name: header.index(name) for name in ("Awal", "Diterima", "Mutasi", "Dicetak",
                                                  "Rusak", "Dikembalikan", "Akhir")}
    out = []
    for row in rows[1:]:
        v = {name: number(row[i]) for name, i in at.items()}
        out.append((v["Awal"] + v["Diterima"] + v["Mutasi"] - v["Dicetak"] - v["Rusak"]
                    - v["Dikembalikan"], v["Akhir"]))
    return out


def report_rows(app, database) -> list[list[str]]:
    """The report's table for March, in Bahasa Indonesia, as the PDF lays it out."""
    with app.test_request_context(), force_locale("id"), database.read() as s:
        return report_tables.stock(evaluate(s, None, periods.month(2026, 3)), {})


def test_every_row_of_the_dashboards_blank_table_adds_up(client_of, blanks, app):
    page = client_of("supervisor").get("/evaluation", query_string=MARCH)
    rows = Table(page.get_data(as_text=True), "stock").rows
    in_report = report_rows(app, blanks)
    assert rows[0] == in_report[0]  # the report's columns, transfers and returns included
    assert balances(rows) == [(127, 127), (14, 14)]
    assert balances(in_report) == [(127, 127), (14, 14)]


def test_the_daily_use_reads_the_same_on_the_page_in_the_report_and_in_the_csv(client_of,
                                                                                blanks, app):
    supervisor = client_of("supervisor")
    rows = Table(supervisor.get("/evaluation", query_string=MARCH).get_data(as_text=True),
                 "stock").rows
    per_day = rows[0].index("Terpakai per hari")
    assert [row[per_day] for row in rows[1:]] == ["0,100", "0,033"]
    in_report = report_rows(app, blanks)
    assert [row[per_day] for row in in_report[1:]] == ["0,100", "0,033"]
    exported = list(csv.DictReader(io.StringIO(supervisor.get(
        "/evaluation/export/stock.csv", query_string=MARCH).get_data(as_text=True))))
    assert [r["daily_use"] for r in exported] == ["0.100", "0.033"]
