"""The dashboard, its exports and who may see them, on the March of `conftest.march`:
KPT 84.26 (B), Sragen 50.00 (D), both 75.69 (C); five cards handed over."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from registry import users
from registry.audit import SYSTEM
from registry.models import AuditEntry

MARCH = {"period": "2026-03"}


def test_the_supervisor_of_the_kabupaten_sees_every_office(client_of, march):
    page = client_of("supervisor").get("/evaluation", query_string=MARCH)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    # Indonesian decimal commas; the respondents next to the score.
    assert "75,69" in text and "Kurang baik" in text and "4 responden" in text
    assert "84,26" in text and "50,00" in text
    assert "3,0278" in text  # the index with four decimals
    assert text.count('<img src="data:image/svg+xml;base64,') == 8
    # Charts are images (allowed as data: URIs), so the page keeps its strict policy.
    policy = page.headers["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy and "style-src 'self';" in policy
    assert "Persyaratan" in text and "Unsur terendah" in text


def test_a_kecamatan_supervisor_sees_only_their_office(client_of, march, database):
    lurah = client_of("lurah")
    text = lurah.get("/evaluation", query_string=MARCH).get_data(as_text=True)
    assert "50,00" in text and "84,26" not in text and "75,69" not in text
    refused = lurah.get("/evaluation", query_string={**MARCH, "office": "33.14"})
    assert refused.status_code == 403
    with database.read() as s:
        denied = s.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied")).all()
    assert [(e.actor, e.entity, e.entity_key) for e in denied] == [("lurah", "office", "33.14")]


def test_a_crafted_huge_office_is_refused_and_recorded_cut_to_the_audit_column(client_of,
                                                                                database):
    """The refusal's audit entry carried all 5,000 characters: a 500 on PostgreSQL."""
    refused = client_of("lurah").get("/evaluation", query_string={"office": "9" * 5000})
    assert refused.status_code == 403
    with database.read() as s:
        denied = s.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied")).all()
    assert [len(e.entity_key) for e in denied] == [40]


def test_an_office_filter_narrows_the_figures(client_of, march):
    text = client_of("supervisor").get(
        "/evaluation", query_string={**MARCH, "office": "33.14"}).get_data(as_text=True)
    assert "84,26" in text and "75,69" not in text


def test_clerks_may_not_see_the_evaluation_and_strangers_must_sign_in(client_of, march):
    assert client_of("kpt").get("/evaluation").status_code == 403
    anonymous = client_of().get("/evaluation")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert client_of().get("/evaluation/data.json").status_code == 302


def test_a_bad_period_is_explained_and_this_year_shown(client_of, march):
    page = client_of("supervisor").get("/evaluation", query_string={"period": "2026-13"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Periode: 2026-13 bukan bulan; bulan ditulis 01 sampai 12." in text
    assert "month must be in" not in text


def test_csv_exports_carry_exact_sums_and_counts(client_of, march):
    supervisor = client_of("supervisor")
    response = supervisor.get("/evaluation/export/skm-elements.csv", query_string=MARCH)
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["element", "name", "answers", "sum", "nrr", "nrr_weighted", "score",
                       "grade"]
    # u1: 4 + 3 + 3 + 2 = 12 over 4 answers -> NRR 3, 75.00 (C)
    assert rows[1] == ["u1", "Persyaratan", "4", "12", "3.000000", "0.333333", "75.00", "C"]
    assert rows[-1] == ["all", "SKM", "4", "", "", "3.027778", "75.69", "C"]
    offices = {r[0]: r for r in csv.reader(io.StringIO(supervisor.get(
        "/evaluation/export/skm-offices.csv", query_string=MARCH).get_data(as_text=True)))}
    assert offices["33.14"][2:] == ["3", "0", "3", "3", "3.370370", "84.26", "B"]
    assert offices["33.14.10"][2:] == ["2", "0", "1", "2", "2.000000", "50.00", "D"]
    volumes = list(csv.reader(io.StringIO(supervisor.get(
        "/evaluation/export/volumes.csv", query_string=MARCH).get_data(as_text=True))))
    assert ["33.14.10", "2026-03-12", "0", "1", "1"] in volumes
    answers = list(csv.DictReader(io.StringIO(supervisor.get(
        "/evaluation/export/responses.csv", query_string=MARCH).get_data(as_text=True))))
    assert len(answers) == 4 and {a["channel"] for a in answers} == {"paper"}
    assert set(answers[0]) == {"id", "office", "day", "channel", "u1", "u2", "u3", "u4", "u5",
                               "u6", "u7", "u8", "u9", "comment", "paper_serial"}
    assert supervisor.get("/evaluation/export/nope.csv").status_code == 404


def test_json_summary_with_exact_score(client_of, march):
    body = json.loads(client_of("supervisor").get(
        "/evaluation/data.json", query_string=MARCH).get_data(as_text=True))
    assert body["skm"]["score"] == "75.69" and body["skm"]["grade"] == "C"
    assert body["skm"]["score_exact"] == {"numerator": 2725, "denominator": 36}
    assert body["skm"]["respondents"] == 4 and body["skm"]["served"] == 5
    assert body["volumes"]["handed_over"] == 5
    assert body["skm"]["by_office"]["33.14"]["score"] == "84.26"


def test_a_bearer_token_reads_the_data_and_its_role_is_checked(app, march):
    with app.app_context(), march.write() as s:
        good = users.create_token(s, SYSTEM, users.get(s, "supervisor"), "script")
        clerk = users.create_token(s, SYSTEM, users.get(s, "kpt"), "script")
    client = app.test_client()
    ok = client.get("/evaluation/data.json", query_string=MARCH,
                    headers={"Authorization": f"Bearer {good}"})
    assert ok.status_code == 200 and ok.json["skm"]["score"] == "75.69"
    refused = client.get("/evaluation/data.json", headers={"Authorization": f"Bearer {clerk}"})
    assert refused.status_code == 403 and "tidak boleh melihat" in refused.json["message"]
    bogus = client.get("/evaluation/data.json", headers={"Authorization": "Bearer nope"})
    assert bogus.status_code == 401


def test_exports_are_audited(client_of, march):
    client_of("supervisor").get("/evaluation/export/stock.csv", query_string=MARCH)
    with march.read() as s:
        entries = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "evaluation.export")).all()
    assert [(e.actor, e.entity_key, e.changes["period"]) for e in entries] == [
        ("supervisor", "stock", [None, "2026-03"])]


def test_a_period_without_any_record_still_renders(client_of, app):
    supervisor = client_of("supervisor")
    page = supervisor.get("/evaluation", query_string={"period": "2025"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Belum ada jawaban survei dalam periode ini" in text
    assert text.count('<img src="data:image/svg+xml;base64,') == 8
    assert supervisor.get("/evaluation/report.pdf?year=2025").status_code == 200
    body = supervisor.get("/evaluation/data.json?period=2025").json
    assert body["skm"]["score"] is None and body["skm"]["respondents"] == 0


def test_in_english_the_figures_use_decimal_points(client_of, march):
    text = client_of("supervisor").get(
        "/evaluation", query_string={**MARCH, "lang": "en"}).get_data(as_text=True)
    assert "75.69" in text and "Below good" in text and "75,69" not in text
    assert "Requirements" in text and "4 respondents" in text
