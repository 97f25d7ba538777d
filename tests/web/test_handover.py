"""Handing the card over: who received it and when, the previous card invalid, the survey."""

from __future__ import annotations

import pytest

from app import evaluation
from app.web.print_jobs import jobs
from registry import cards, residents


def _printed(web, nik, **evidence) -> int:
    application_id = web.seed_application(nik, verify=True, **evidence)
    kpt = web.clerk("kpt")
    kpt.page(f"/applications/{application_id}/print")
    kpt.post(f"/applications/{application_id}/print", {"printer": "p1"})
    with web.app.app_context():
        jobs().wait(application_id)
    assert web.state(application_id) == "DICETAK"
    return application_id


def _hand_over(clerk, application_id, who="SRI WAHYUNI", checked=True):
    clerk.page(f"/applications/{application_id}/handover")
    data = {"received_by": who, **({"identity_checked": "y"} if checked else {})}
    return clerk.post(f"/applications/{application_id}/handover", data)


def _cards(web, nik):
    with web.db.read() as session:
        return [(c.copy_number, c.state, c.received_by)
                for c in cards.history(session, residents.get(session, nik).id)]


def test_the_handover_records_who_received_the_card(web):
    nik = web.resident()
    application_id = _printed(web, nik)
    kpt = web.clerk("kpt")
    form = kpt.page(f"/applications/{application_id}/handover")
    assert 'value="SRI WAHYUNI"' in form  # the resident, unless someone else collects it
    response = _hand_over(kpt, application_id, "SUPARNO (SUAMI)")
    assert response.headers["Location"] == f"/applications/{application_id}/receipt"
    receipt = kpt.page(f"/applications/{application_id}/receipt")
    assert "SUPARNO (SUAMI)" in receipt and "The card is handed over" in receipt
    assert web.state(application_id) == "DISERAHKAN"
    assert _cards(web, nik) == [(1, "AKTIF", "SUPARNO (SUAMI)")]


def test_the_identity_check_is_required(web):
    application_id = _printed(web, web.resident())
    response = _hand_over(web.clerk("kpt"), application_id, checked=False)
    assert response.status_code == 200 and 'id="identity_checked-error"' in response.get_data(
        as_text=True)
    assert web.state(application_id) == "DICETAK"


def test_a_reprint_handed_over_invalidates_the_previous_card(web):
    nik = web.resident()
    kpt = web.clerk("kpt")
    _hand_over(kpt, _printed(web, nik))
    reprint = _printed(web, nik, reason="RUSAK", damaged_card_returned=True)
    form = kpt.page(f"/applications/{reprint}/handover")
    assert "makes the previous card invalid: copy 1" in form
    _hand_over(kpt, reprint)
    assert _cards(web, nik) == [(1, "TIDAK BERLAKU", "SRI WAHYUNI"), (2, "AKTIF", "SRI WAHYUNI")]
    history = kpt.page(f"/residents/{nik}")
    assert "Replaced by copy 2" in history and "Invalid" in history


def test_the_survey_code_is_shown_once_when_the_survey_runs(web, monkeypatch):
    seen = []

    def on_handover(session, who, card):
        seen.append((who.name, card.copy_number, session.is_active))
        return "SKM-7Q2K"

    monkeypatch.setattr(evaluation, "on_handover", on_handover)
    application_id = _printed(web, web.resident())
    kpt = web.clerk("kpt")
    _hand_over(kpt, application_id)
    assert seen == [("kpt", 1, True)]  # inside the handover transaction
    receipt = kpt.page(f"/applications/{application_id}/receipt")
    assert 'id="survey-code">SKM-7Q2K<' in receipt
    assert "SKM-7Q2K" not in kpt.page(f"/applications/{application_id}/receipt")


def test_no_survey_section_without_a_survey(web, monkeypatch):
    monkeypatch.setattr(evaluation, "on_handover", lambda session, who, card: None)
    application_id = _printed(web, web.resident())
    kpt = web.clerk("kpt")
    _hand_over(kpt, application_id)
    assert "survey-code" not in kpt.page(f"/applications/{application_id}/receipt")


def test_a_failing_survey_hook_leaves_the_card_with_the_clerk(web, monkeypatch):
    def broken(session, who, card):
        raise RuntimeError("survey store down")

    monkeypatch.setattr(evaluation, "on_handover", broken)
    application_id = _printed(web, web.resident())
    with pytest.raises(RuntimeError):
        _hand_over(web.clerk("kpt"), application_id)
    assert web.state(application_id) == "DICETAK"  # one transaction: nothing half done


def test_only_a_printed_card_is_handed_over(web):
    application_id = web.seed_application(web.resident(), verify=True)
    kpt = web.clerk("kpt")
    response = kpt.get(f"/applications/{application_id}/handover")
    assert response.headers["Location"] == f"/applications/{application_id}"
    receipt = kpt.page(f"/applications/{application_id}/receipt")
    assert "has not been handed over yet" in receipt
    assert web.state(application_id) == "DIVERIFIKASI"
