"""One response per handover, anonymous answers, paper forms that count once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from registry import applications, cards, offices, periods, residents, skm, survey
from registry.audit import Actor
from registry.errors import ConflictError, InvalidRecordError
from registry.models import AuditEntry
from registry.models.survey import SurveyInvitation, SurveyResponse, SurveyTicket
from registry.survey_codes import (
    ExpiredCodeError,
    MalformedCodeError,
    OtherOfficeCodeError,
    UnknownCodeError,
    UsedCodeError,
    digest,
    normalise,
)
from tests.registry.factories import printed_application, record_card, resident_fields

KEY = b"survey-test-key"
TODAY = dt.date(2026, 3, 10)
CLERK = Actor("kpt", office_code="33.14")
SUPERVISOR = Actor("supervisor", office_code="33.14")
GOOD = survey.Answers((4, 4, 3, 4, 3, 4, 4, 3, 4), "Pelayanan cepat")


def handed_over(db, name="SRI WAHYUNI", office="33.14", today=TODAY):
    """A card through the counter's real path: apply, capture, verify, print, hand over."""
    with db.write() as s:
        if s.get(offices.Office, office) is None:
            offices.add(s, CLERK, office)
        resident = residents.register(s, CLERK, resident_fields(nama=name), confirm_duplicate=True)
        application, _ = printed_application(s, CLERK, SUPERVISOR, resident, office)
        card = applications.hand_over(s, CLERK, application, "sendiri")
        code = survey.invite(s, CLERK, card, key=KEY, today=today, valid_days=7)
        return card.id, resident.nik, code


def answer(db, code, answers=GOOD, today=TODAY):
    with db.write() as s:
        return survey.answer_at_kiosk(s, code, answers, key=KEY, today=today).id


def test_a_handover_gets_one_code_that_works_once(db):
    card_id, _nik, code = handed_over(db)
    assert len(code) == 9 and code[4] == "-"
    with db.write() as s:
        card = s.get(cards.Card, card_id)
        assert survey.invite(s, CLERK, card, key=KEY, today=TODAY, valid_days=7) is None
        assert s.scalar(select(SurveyTicket).where(SurveyTicket.used.is_(False))) is not None
    answer(db, code)
    with pytest.raises(UsedCodeError, match="used already"):
        answer(db, code)
    with db.read() as s:
        assert len(survey.responses(s, None, periods.month(2026, 3))) == 1


def test_unknown_malformed_and_expired_codes_are_refused_clearly(db):
    _card, _nik, code = handed_over(db)
    with pytest.raises(UnknownCodeError, match="not known"):
        answer(db, "ABCD-EFGH")
    with pytest.raises(MalformedCodeError, match="8 letters and digits"):
        answer(db, "12345")
    with pytest.raises(ExpiredCodeError):
        answer(db, code, today=TODAY + dt.timedelta(days=7))
    answer(db, code, today=TODAY + dt.timedelta(days=6))  # the 7th day of validity


def test_codes_are_forgiving_to_type():
    assert normalise(" abcd-ef1o ") == "ABCDEF10"
    assert normalise("ilo0 1234") == "1100" + "1234"
    with pytest.raises(MalformedCodeError):
        normalise("ABCD-EFGU")  # U is not in the alphabet


def test_kiosk_answers_must_cover_all_nine_elements(db):
    _card, _nik, code = handed_over(db)
    with pytest.raises(InvalidRecordError) as refused:
        answer(db, code, survey.Answers((4, None, 3, 4, 3, 4, 4, 3, 4)))
    assert "u2" in refused.value.errors
    with db.read() as s:  # the refused answer did not use the code up
        survey.check(s, code, key=KEY, today=TODAY)


def test_nothing_stored_links_an_answer_to_the_resident(db):
    card_id, nik, code = handed_over(db)
    with db.read() as s:
        before = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    response_id = answer(db, code)
    with db.read() as s:
        row = s.get(SurveyResponse, response_id)
        stored = [str(getattr(row, c.key)) for c in SurveyResponse.__table__.columns]
        written = list(s.scalars(select(AuditEntry).where(AuditEntry.id > before)))
        ticket = s.scalar(select(SurveyTicket))
        invitation = s.get(SurveyInvitation, card_id)
    secrets_of_the_person = {nik, str(card_id), normalise(code), code,
                             digest(normalise(code), KEY), "SRI WAHYUNI", CLERK.name}
    # The response row: office, day, channel, scores, comment; a random key.
    assert not secrets_of_the_person & set(stored)
    assert row.day == TODAY and row.entered_by is None and len(row.id) == 32
    assert not any(hasattr(row, f) for f in ("card_id", "code_hash", "ticket", "created_at"))
    # The answer writes no audit entry (its time would sit next to the handover's) ...
    assert written == []
    # ... its day is counted once the day is over, at the next handover: office and day only.
    handed_over(db, "BUDI", today=TODAY + dt.timedelta(days=1))
    with db.read() as s:
        written = list(s.scalars(select(AuditEntry).where(
            AuditEntry.id > before, AuditEntry.action == "survey.answers")))
    assert [(e.actor, e.entity, e.entity_key, e.changes) for e in written] == [
        ("kiosk", "survey_answers", "2026-03-10", {"33.14 2026-03-10": [None, 1]})]
    values = {str(v) for e in written for v in _flatten([list(e.changes), e.note,
                                                         e.entity_key])}
    assert not (secrets_of_the_person | {response_id}) & values
    text = repr(values)
    assert not [s for s in secrets_of_the_person if len(s) > 4 and s in text]
    # The ticket knows no card; the invitation knows no code.
    assert not {c.key for c in SurveyTicket.__table__.columns} & {"card_id", "nik"}
    assert ticket.used and ticket.office_code == invitation.office_code == "33.14"
    assert not {c.key for c in SurveyInvitation.__table__.columns} & {"code_hash", "code"}


def _flatten(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _flatten(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _flatten(v)
    elif value is not None:
        yield value


def test_two_answers_racing_with_one_code_count_once(db):
    _card, _nik, code = handed_over(db)
    barrier, outcomes = threading.Barrier(2), []

    def go():
        barrier.wait()
        try:
            answer(db, code)
            outcomes.append("ok")
        except UsedCodeError:
            outcomes.append("used")

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "used"]


def paper(db, serial, answers=GOOD, code=None, office="33.14", day=TODAY):
    with db.write() as s:
        return survey.enter_paper(s, CLERK, office_code=office, day=day, serial=serial,
                                  answers=answers, key=KEY, today=TODAY, code=code).id


def test_a_paper_form_counts_once_by_its_serial(db):
    handed_over(db)
    first = paper(db, "skm-2026-0001", survey.Answers((4, None, 3, 4, 3, 4, 4, None, 4)))
    with pytest.raises(ConflictError, match="entered already"):
        paper(db, " SKM-2026-0001")
    with db.write() as s:
        survey.void(s, SUPERVISOR, survey.get_response(s, first), "typed the wrong answers")
    paper(db, "SKM-2026-0001")  # re-entered after voiding
    with db.read() as s:
        rows = survey.responses(s, None, periods.month(2026, 3))
        voided = survey.responses(s, None, periods.month(2026, 3), voided=True)
        audit_actions = [e.action for e in s.scalars(select(AuditEntry).where(
            AuditEntry.action.like("survey.%")))]
    assert [(r.paper_serial, r.entered_by, r.channel) for r in rows] == [
        ("SKM-2026-0001", "kpt", "paper")]
    assert [v.void_reason for v in voided] == ["typed the wrong answers"]
    assert audit_actions == ["survey.invite", "survey.paper", "survey.void", "survey.paper"]


def test_two_clerks_typing_the_same_form_at_once_count_it_once(db):
    handed_over(db)
    barrier, outcomes = threading.Barrier(2), []

    def go():
        barrier.wait()
        try:
            paper(db, "F-RACE")
            outcomes.append("ok")
        except survey.PaperFormTakenError:
            outcomes.append("taken")

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "taken"]


def test_a_paper_form_with_the_residents_code_uses_it_up(db):
    _card, _nik, code = handed_over(db)
    paper(db, "F-1", code=code)
    with pytest.raises(UsedCodeError):
        answer(db, code)  # the same handover cannot answer again at the kiosk
    with pytest.raises(UsedCodeError):
        paper(db, "F-2", code=code)


def test_a_paper_code_of_another_office_is_refused(db):
    _card, _nik, code = handed_over(db, office="33.14.10")
    with pytest.raises(OtherOfficeCodeError, match=r"33\.14\.10"):
        paper(db, "F-1", code=code, office="33.14")


def test_paper_forms_are_checked(db):
    handed_over(db)
    with pytest.raises(InvalidRecordError) as refused:
        paper(db, " ", survey.Answers((None,) * 9), day=TODAY + dt.timedelta(days=1))
    assert set(refused.value.errors) == {"paper_serial", "scores", "day"}


def test_voided_responses_leave_the_figures_and_cannot_be_voided_twice(db):
    handed_over(db)
    low = paper(db, "F-1", survey.Answers((1,) * 9))
    high = paper(db, "F-2", survey.Answers((4,) * 9))
    with db.write() as s:
        with pytest.raises(InvalidRecordError):
            survey.void(s, SUPERVISOR, survey.get_response(s, high), " ")
        survey.void(s, SUPERVISOR, survey.get_response(s, low), "test form")
        with pytest.raises(ConflictError):
            survey.void(s, SUPERVISOR, survey.get_response(s, low), "again")
    with db.read() as s:
        tallies = survey.daily_tallies(s, None, periods.month(2026, 3))
    assert skm.result(sum(tallies.values(), skm.Tally())).converted == 100


def test_tallies_per_office_day_and_channel_match_the_answers(db):
    _c1, _n1, code = handed_over(db, "ANI")
    handed_over(db, "BUDI", office="33.14.10")
    answer(db, code, survey.Answers((4, 4, 4, 4, 4, 4, 4, 4, 4)))
    paper(db, "F-1", survey.Answers((3, None, 3, 3, 3, 3, 3, 3, 3)), day=dt.date(2026, 3, 2))
    paper(db, "F-1", survey.Answers((2,) * 9), office="33.14.10")
    with db.read() as s:
        tallies = survey.daily_tallies(s, None, periods.month(2026, 3))
        only_kpt = survey.daily_tallies(s, ["33.14"], periods.month(2026, 3))
        invited = survey.invitations(s, None, periods.month(2026, 3))
    assert tallies[("33.14", TODAY, "kiosk")] == skm.tally([(4,) * 9])
    assert tallies[("33.14", dt.date(2026, 3, 2), "paper")] == skm.tally(
        [(3, None, 3, 3, 3, 3, 3, 3, 3)])
    assert tallies[("33.14.10", TODAY, "paper")] == skm.tally([(2,) * 9])
    assert {k[0] for k in only_kpt} == {"33.14"}
    assert invited == {"33.14": 1, "33.14.10": 1}


def test_a_card_not_handed_over_gets_no_code(db):
    with db.write() as s:
        offices.add(s, CLERK, "33.14")
        resident = residents.register(s, CLERK, resident_fields())
        card = record_card(s, CLERK, resident, reason="BARU", office_code="33.14",
                           photo_id=None, signature_id=None)
        with pytest.raises(ConflictError, match="not handed over"):
            survey.invite(s, CLERK, card, key=KEY, today=TODAY, valid_days=7)


def test_purging_expired_tickets_forgets_them(db):
    _card, _nik, code = handed_over(db)
    with db.write() as s:
        assert survey.purge_tickets(s, CLERK, expired_before=TODAY) == 0
        assert survey.purge_tickets(s, CLERK, expired_before=TODAY + dt.timedelta(days=40)) == 1
    with pytest.raises(UnknownCodeError):
        answer(db, code)


def test_the_database_itself_refuses_bad_scores_and_double_forms(db):
    handed_over(db)
    with pytest.raises(IntegrityError), db.write() as s:
        s.add(SurveyResponse(id="a" * 32, office_code="33.14", day=TODAY, channel="kiosk", u1=5))
    row = {"office_code": "33.14", "day": TODAY, "channel": "paper", "u1": 4,
           "paper_serial": "F-9", "entered_by": "kpt"}
    with pytest.raises(IntegrityError), db.write() as s:
        s.add(SurveyResponse(id="b" * 32, **row))
        s.flush()
        s.add(SurveyResponse(id="c" * 32, **row))
    with pytest.raises(IntegrityError), db.write() as s:  # a kiosk answer names no clerk
        s.add(SurveyResponse(id="d" * 32, office_code="33.14", day=TODAY, channel="kiosk",
                             u1=4, entered_by="kpt"))
