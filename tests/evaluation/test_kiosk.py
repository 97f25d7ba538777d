"""The kiosk through HTTP (CSRF on, as in production): a code opens the questionnaire once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from app.evaluation import settings
from app.evaluation.throttle import Throttle
from registry.models import AuditEntry
from registry.models.survey import SurveyResponse

ANSWERS = {"u1": "4", "u2": "3", "u3": "4", "u4": "4", "u5": "3", "u6": "4", "u7": "4",
           "u8": "2", "u9": "3", "comment": "Cepat dan ramah"}


def responses(database) -> list[SurveyResponse]:
    with database.read() as s:
        return list(s.scalars(select(SurveyResponse)))


def test_a_code_opens_the_questionnaire_and_answers_once(client_of, hand_over, database):
    code = hand_over()
    kiosk = client_of()
    start = kiosk.get("/survei")
    assert start.status_code == 200
    page = start.get_data(as_text=True)
    assert "Kode survei" in page and "anonim" in page  # Bahasa Indonesia by default
    assert "script-src 'self'" in start.headers["Content-Security-Policy"]
    questions = kiosk.post("/survei", {"code": code.lower()})
    assert questions.status_code == 200
    text = questions.get_data(as_text=True)
    assert "Bagaimana pendapat Saudara tentang kesesuaian persyaratan" in text
    assert "Sangat sesuai" in text and "Gratis" in text and "Dikelola dengan baik" in text
    done = kiosk.post("/survei/jawab", {"code": code, **ANSWERS})
    assert done.status_code == 302 and done.headers["Location"].endswith("/survei/terima-kasih")
    assert "Terima kasih" in kiosk.get("/survei/terima-kasih").get_data(as_text=True)
    [row] = responses(database)
    assert (row.scores, row.comment, row.channel, row.office_code) == (
        (4, 3, 4, 4, 3, 4, 4, 2, 3), "Cepat dan ramah", "kiosk", "33.14")
    again = kiosk.post("/survei", {"code": code})
    assert again.status_code == 422
    assert "sudah dipakai" in again.get_data(as_text=True)
    resubmitted = kiosk.post("/survei/jawab", {"code": code, **ANSWERS})
    assert resubmitted.status_code == 422 and len(responses(database)) == 1


def test_unknown_and_malformed_codes_are_refused_clearly(client_of, hand_over):
    hand_over()
    kiosk = client_of()
    kiosk.get("/survei")
    unknown = kiosk.post("/survei", {"code": "ZZZZ-9999"})
    assert unknown.status_code == 422
    assert "tidak dikenal" in unknown.get_data(as_text=True)
    short = kiosk.post("/survei", {"code": "123"})
    assert "8 huruf dan angka" in short.get_data(as_text=True)


def test_a_missing_answer_keeps_the_others_and_the_code(client_of, hand_over, database):
    code = hand_over()
    kiosk = client_of()
    kiosk.get("/survei")
    kiosk.post("/survei", {"code": code})
    partial = {k: v for k, v in ANSWERS.items() if k != "u5"}
    refused = kiosk.post("/survei/jawab", {"code": code, **partial})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "masih kosong" in text and 'id="q-u5"' in text
    assert re.search(r'name="u1" value="4" required\s+checked', text)  # earlier answers kept
    assert not re.search(r'name="u5" value="\d" required\s+checked', text)
    assert responses(database) == []
    assert kiosk.post("/survei/jawab", {"code": code, **ANSWERS}).status_code == 302


def test_the_kiosk_is_english_on_request(client_of, hand_over):
    code = hand_over()
    kiosk = client_of()
    kiosk.get("/survei?lang=en")
    text = kiosk.post("/survei?lang=en", {"code": code}).get_data(as_text=True)
    assert "How well do the requirements match the service" in text


def test_a_post_without_the_csrf_token_is_refused(client_of, hand_over, database):
    code = hand_over()
    kiosk = client_of()
    assert kiosk.http.post("/survei/jawab", data={"code": code, **ANSWERS}).status_code == 400
    assert responses(database) == []


def test_guessing_codes_is_throttled(app, client_of, hand_over):
    app.config.update(SURVEY_KIOSK_MAX_FAILURES=3)
    code = hand_over()
    kiosk = client_of()
    kiosk.get("/survei")
    for _ in range(3):
        assert kiosk.post("/survei", {"code": "AAAA-AAAA"}).status_code == 422
    locked = kiosk.post("/survei", {"code": code})
    assert locked.status_code == 429
    assert "Terlalu banyak kode salah" in locked.get_data(as_text=True)


def test_throttle_window_passes():
    now = [0.0]
    throttle = Throttle(2, 60, clock=lambda: now[0])
    throttle.failed("a")
    assert throttle.wait_seconds("a") == 0
    throttle.failed("a")
    assert throttle.wait_seconds("a") == 61 and throttle.wait_seconds("b") == 0
    now[0] = 60
    assert throttle.wait_seconds("a") == 0
    throttle.failed("a")
    throttle.succeeded("a")
    assert throttle.wait_seconds("a") == 0


def test_the_answer_is_audited_later_as_a_count_without_the_respondent(
        app, client_of, hand_over, database, runner, monkeypatch):
    code = hand_over()
    kiosk = client_of()
    kiosk.get("/survei")
    with database.read() as s:
        before = s.scalar(select(func.max(AuditEntry.id)))
    kiosk.post("/survei/jawab", {"code": code, **ANSWERS})
    with database.read() as s:
        now = list(s.scalars(select(AuditEntry).where(AuditEntry.id > before)))
        invites = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "survey.invite"))
    assert now == [] and invites == 1  # nothing timed next to the handover
    with app.app_context():
        today = settings.today()
    monkeypatch.setattr(settings, "today", lambda: today + dt.timedelta(days=1))
    result = runner.invoke(args=["evaluation", "purge-codes"])  # the nightly job
    assert result.exit_code == 0, result.output
    with database.read() as s:
        counted = list(s.scalars(select(AuditEntry).where(AuditEntry.id > before)))
    assert [(e.actor, e.action, e.entity_key, e.changes) for e in counted] == [
        ("kiosk", "survey.answers", today.isoformat(), {f"33.14 {today}": [None, 1]})]


@pytest.mark.parametrize("enabled", [False])
def test_the_survey_can_be_switched_off(app, hand_over, enabled):
    app.config["SURVEY_ENABLED"] = enabled
    assert hand_over() is None
