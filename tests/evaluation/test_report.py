"""The annual report (download and `ktp report`) and the `ktp evaluation` commands, on the
March of `conftest.march`: KPT 84.26 (B), Sragen 50.00 (D), both 75.69 (C)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pypdfium2 as pdfium
from sqlalchemy import func, select

from app.evaluation.demo import seed_evaluation
from registry import periods, survey
from registry.audit import Actor
from registry.evaluation import evaluate
from registry.models import AuditEntry, Card
from registry.models.survey import SurveyResponse, SurveyTicket

from .conftest import OPERATOR


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_the_report_download_holds_the_figures(client_of, march):
    response = client_of("supervisor").get("/evaluation/report.pdf", query_string={"year": 2026})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "evaluasi-ktp-2026.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Laporan evaluasi pelayanan: penerbitan KTP" in text
    assert "75,69" in text and "C (Kurang baik)" in text and "4 responden" in text
    assert "84,26" in text and "50,00" in text
    assert "3,0278" in text  # the index, four decimals
    # U1: 4 answers summing to 12 -> NRR 3,000, NRR × 1/9 = 0,3333, score 75,00
    assert "Persyaratan" in text and "3,000" in text and "0,3333" in text
    assert "Kartu diserahkan" in text and "2,0 hari" in text  # every wait is two days
    assert "Nilai SKM per unsur" in text  # a chart, drawn into the PDF


def test_the_report_of_a_kecamatan_covers_only_its_office(client_of, march):
    text = pdf_text(client_of("lurah").get("/evaluation/report.pdf?year=2026").data)
    assert "50,00" in text and "84,26" not in text


def test_ktp_report_writes_the_pdf_and_audits_it(runner, march, tmp_path):
    out = tmp_path / "laporan.pdf"
    result = runner.invoke(args=["report", "--year", "2026", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "SKM 75.69 (C), 4 respondents, 5 cards handed over" in result.output
    text = pdf_text(out.read_bytes())
    assert "75,69" in text and "semua kantor" in text
    english = runner.invoke(args=["report", "--year", "2026", "-o", str(out), "--lang", "en",
                                  "--office", "33.14.10"])
    assert english.exit_code == 0, english.output
    text = pdf_text(out.read_bytes())
    assert "Service evaluation report: KTP issuance" in text and "50.00" in text
    assert "75.69" not in text
    with march.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "evaluation.report")) == 2


def test_ktp_report_refuses_an_unknown_office(runner, march, tmp_path):
    result = runner.invoke(args=["report", "--year", "2026", "-o", str(tmp_path / "x.pdf"),
                                 "--office", "33.14.99"])
    assert result.exit_code == 1 and "office 33.14.99 not found" in result.output


def test_ktp_evaluation_skm_shows_answers_next_to_every_figure(runner, march):
    result = runner.invoke(args=["evaluation", "skm", "--period", "2026-03"])
    assert result.exit_code == 0, result.output
    assert "4 respondents" in result.output
    assert "U1 Persyaratan" in result.output and "n=4" in result.output
    assert "score 75.69  grade C Kurang baik" in result.output
    bad = runner.invoke(args=["evaluation", "skm", "--period", "March"])
    assert bad.exit_code == 1 and "2026-Q1" in bad.output


def test_ktp_evaluation_export_writes_csv(runner, march):
    result = runner.invoke(args=["evaluation", "export", "lead-times", "--period", "2026-03"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["office", "handovers", "median_days", "p90_days"]
    assert ["all", "5", "2.000", "2.000"] in rows


def test_ktp_evaluation_purge_codes(app, runner, hand_over, march):
    hand_over()
    with march.write() as s:  # a ticket that expired long ago
        s.add(SurveyTicket(code_hash="0" * 64, office_code="33.14",
                           issued_on=dt.date(2020, 1, 1), expires_on=dt.date(2020, 1, 7),
                           used=True))
    result = runner.invoke(args=["evaluation", "purge-codes"])
    assert result.exit_code == 0 and result.output.startswith("1 survey ticket(s)")
    with march.read() as s:
        assert s.scalar(select(func.count()).select_from(SurveyTicket)) == 1


def test_the_demo_history_fills_the_evaluation(app, database):
    with app.app_context():
        from app.demo.seed import seed_residents

        seed_residents(database, Actor("demo"), 120, seed=3, photos=False)
        report = seed_evaluation(database, Actor("demo"), months=2, today=dt.date(2026, 3, 31))
        again = seed_evaluation(database, Actor("demo"), months=2, today=dt.date(2026, 3, 31))
    assert again == "already seeded"
    assert report.cards > 20 and report.responses > 5
    with database.read() as s:
        ev = evaluate(s, None, periods.parse("2026-02-01..2026-03-31"),
                      now=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        cards = s.scalar(select(func.count()).select_from(Card))
        answers = s.scalar(select(func.count()).select_from(SurveyResponse))
    assert ev.totals.handed_over == cards == report.cards
    assert ev.survey.overall.respondents == answers == report.responses
    assert ev.survey.overall.grade is not None
    assert all(s.closing >= 0 for s in ev.stock) and ev.printers


def test_a_voided_response_leaves_the_report(runner, march, tmp_path):
    with march.write() as s:
        low = s.scalar(select(SurveyResponse).where(SurveyResponse.office_code == "33.14.10"))
        survey.void(s, OPERATOR, low, "test form")
    out = tmp_path / "r.pdf"
    runner.invoke(args=["report", "--year", "2026", "-o", str(out)])
    text = pdf_text(out.read_bytes())
    assert "84,26" in text and "75,69" not in text and "3 responden" in text
