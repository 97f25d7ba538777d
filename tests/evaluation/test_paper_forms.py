"""Clerks type in paper forms; supervisors void a mistaken response. Both through HTTP."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
from sqlalchemy import select

from registry.models import AuditEntry
from registry.models.survey import SurveyResponse

FORM = {"office": "33.14", "day": "2026-03-05", "serial": "skm-0007", "code": "",
        "u1": "4", "u2": "", "u3": "3", "u4": "4", "u5": "3", "u6": "4", "u7": "4", "u8": "",
        "u9": "3", "comment": "Toilet kotor"}


def rows(database) -> list[SurveyResponse]:
    with database.read() as s:
        return list(s.scalars(select(SurveyResponse)))


def test_a_clerk_enters_a_paper_form_once(client_of, database):
    clerk = client_of("kpt")
    assert "Nomor seri kuesioner" in clerk.get("/evaluation/paper").get_data(as_text=True)
    saved = clerk.post("/evaluation/paper", FORM)
    assert saved.status_code == 302
    [row] = rows(database)
    assert (row.channel, row.paper_serial, row.entered_by, row.day, row.scores) == (
        "paper", "SKM-0007", "kpt", dt.date(2026, 3, 5), (4, None, 3, 4, 3, 4, 4, None, 3))
    again = clerk.post("/evaluation/paper", {**FORM, "serial": "SKM-0007 "})
    assert again.status_code == 422
    assert "Kuesioner SKM-0007 dari kantor ini sudah dimasukkan" in again.get_data(as_text=True)
    assert len(rows(database)) == 1


def test_a_paper_form_can_carry_the_residents_code(client_of, hand_over, database):
    code = hand_over()
    clerk = client_of("kpt")
    clerk.get("/evaluation/paper")
    assert clerk.post("/evaluation/paper", {**FORM, "code": code}).status_code == 302
    kiosk = client_of()
    kiosk.get("/survei")
    assert "sudah dipakai" in kiosk.post("/survei", {"code": code}).get_data(as_text=True)
    twice = clerk.post("/evaluation/paper", {**FORM, "serial": "SKM-0008", "code": code})
    assert twice.status_code == 422 and 'id="code-error"' in twice.get_data(as_text=True)
    assert "sudah dipakai" in twice.get_data(as_text=True)


def test_wrong_paper_forms_are_explained(client_of, database):
    clerk = client_of("kpt")
    clerk.get("/evaluation/paper")
    blank = {**FORM, "serial": " ", **{f"u{n}": "" for n in range(1, 10)}}
    refused = clerk.post("/evaluation/paper", blank)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'id="paper_serial-error"' in text and 'id="scores-error"' in text
    assert "Ketik nomor seri yang tercetak" in text
    future = clerk.post("/evaluation/paper", {**FORM, "day": "2999-01-01"})
    assert future.status_code == 422 and 'id="day-error"' in future.get_data(as_text=True)
    assert rows(database) == []


def test_a_clerk_may_not_enter_forms_for_another_office(client_of, database):
    sragen = client_of("sragen")
    sragen.get("/evaluation/paper")
    refused = sragen.post("/evaluation/paper", {**FORM, "office": "33.14"})
    assert refused.status_code == 403 and rows(database) == []


def test_a_supervisor_voids_a_response_with_a_reason(client_of, database):
    clerk = client_of("kpt")
    clerk.get("/evaluation/paper")
    clerk.post("/evaluation/paper", FORM)
    [row] = rows(database)
    supervisor = client_of("supervisor")
    listing = supervisor.get("/evaluation/responses", query_string={"period": "2026-03"})
    assert f'id="response-{row.id}"' in listing.get_data(as_text=True)
    assert "Toilet kotor" in listing.get_data(as_text=True)
    assert clerk.post(f"/evaluation/responses/{row.id}/void", {"reason": "x"}).status_code == 403
    voided = supervisor.post(f"/evaluation/responses/{row.id}/void",
                             {"reason": "salah ketik", "back": "https://evil.example/"})
    assert voided.status_code == 302  # back to this site only
    assert voided.headers["Location"] == "/evaluation/responses"
    [after] = rows(database)
    assert (after.voided_by, after.void_reason) == ("supervisor", "salah ketik")
    shown = supervisor.get("/evaluation/responses",
                           query_string={"period": "2026-03", "voided": "1"})
    assert "salah ketik" in shown.get_data(as_text=True)
    with database.read() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).where(
            AuditEntry.action.like("survey.%")).order_by(AuditEntry.id))]
    assert actions == ["survey.paper", "survey.void"]


def test_a_kecamatan_supervisor_cannot_void_the_kpts_responses(client_of, database):
    clerk = client_of("kpt")
    clerk.get("/evaluation/paper")
    clerk.post("/evaluation/paper", FORM)
    [row] = rows(database)
    lurah = client_of("lurah")
    lurah.get("/evaluation")
    assert lurah.post(f"/evaluation/responses/{row.id}/void",
                      {"reason": "x"}).status_code == 403
    assert rows(database)[0].voided_at is None


def test_numbered_blank_forms_to_print(client_of, runner, tmp_path):
    clerk = client_of("sragen")
    response = clerk.get("/evaluation/paper/forms.pdf",
                         query_string={"office": "33.14.10", "first": 7, "count": 3})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    document = pdfium.PdfDocument(response.data)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    year = dt.date.today().year
    assert len(pages) == 3
    assert f"No. kuesioner SKM-33.14.10-{year}-0007" in pages[0]
    assert f"SKM-33.14.10-{year}-0009" in pages[2]
    assert "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif" in pages[0]
    assert "Dikelola dengan baik" in pages[0] and "jangan menulis nama atau NIK" in pages[0]
    assert clerk.get("/evaluation/paper/forms.pdf?office=33.14").status_code == 403
    out = tmp_path / "forms.pdf"
    result = runner.invoke(args=["evaluation", "forms", "--office", "33.14", "--count", "2",
                                 "--year", "2026", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "SKM-33.14-2026-0001 .. SKM-33.14-2026-0002" in result.output
    assert len(pdfium.PdfDocument(out.read_bytes())) == 2
