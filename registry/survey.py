"""The SKM survey's writes and tallies: a code per handover, answers by kiosk or paper form.

Anonymity is a property of what is stored (see `registry.models.survey`): an answer keeps its
office, its day and its channel, never the code, the ticket, the card or the time of day; rows
are kept in the order of their random keys (`registry.survey_order`). A kiosk answer writes no
audit entry of its own, whose time would sit next to the handover's: the kiosk answers of a day
are audited as one count per office once the day is over (`audit_kiosk_answers`). A paper form
is tied to the serial printed on it (unique per office), and to the resident's code when one is
written on it, so neither a form nor a handover is counted twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, survey_codes
from .audit import Actor
from .errors import ConflictError, InvalidRecordError, NotFoundError
from .models import Application, AuditEntry, Card, utcnow
from .models.survey import (
    KIOSK,
    PAPER,
    SCORE_COLUMNS,
    SurveyInvitation,
    SurveyResponse,
    SurveyTicket,
)
from .periods import Period
from .skm import SCALE, Tally
from .survey_codes import ExpiredCodeError, OtherOfficeCodeError, UnknownCodeError, UsedCodeError
from .survey_order import restack, serialise

COMMENT_MAX = 1000
SERIAL_MAX = 40
KIOSK_ACTOR = "kiosk"
ANSWERS_AUDITED = "survey_answers"  # audit entity of the daily kiosk counts; key: the last day


class PaperFormTakenError(ConflictError):
    """The office has counted a form with this serial already."""

    def __init__(self, office_code: str, serial: str) -> None:
        super().__init__(f"paper form {serial} of office {office_code} is entered already")
        self.office_code, self.serial = office_code, serial


def service_office(session: Session, card: Card) -> str:
    """Where the resident was served: the office of the application, else the card's."""
    if card.application_id is not None:
        application = session.get(Application, card.application_id)
        if application is not None:
            return application.office_code
    return card.office_code


def invite(session: Session, actor: Actor, card: Card, *, key: bytes, today: dt.date,
           valid_days: int) -> str | None:
    """The one-time code for a card just handed over; None when it already had one. The first
    handover of a day also audits the kiosk answers of the days before (a moment that says
    nothing about when anyone answered)."""
    if card.handed_over_at is None:
        raise ConflictError(f"card {card.nik}/{card.copy_number} is not handed over")
    if session.get(SurveyInvitation, card.id) is not None:
        return None
    office = service_office(session, card)
    serialise(session, office)
    code = survey_codes.new_code()
    while session.get(SurveyTicket, survey_codes.digest(code, key)) is not None:
        code = survey_codes.new_code()
    session.add(SurveyInvitation(card_id=card.id, office_code=office, issued_on=today))
    session.add(SurveyTicket(code_hash=survey_codes.digest(code, key), office_code=office,
                             issued_on=today, expires_on=today + dt.timedelta(days=valid_days - 1),
                             used=False))
    restack(session, SurveyTicket.__table__, office, "issued_on", today)
    audit.record(session, actor, "survey.invite", "card", f"{card.nik}/{card.copy_number}",
                 {"office": [None, office]}, note="one-time survey code issued")
    audit_kiosk_answers(session, today=today)
    return survey_codes.display(code)


def check(session: Session, text: str, *, key: bytes, today: dt.date) -> SurveyTicket:
    """The ticket of a usable code, or the `SurveyCodeError` that says why not."""
    ticket = session.get(SurveyTicket, survey_codes.digest(survey_codes.normalise(text), key))
    if ticket is None:
        raise UnknownCodeError()
    if ticket.used:
        raise UsedCodeError()
    if ticket.expires_on < today:
        raise ExpiredCodeError()
    return ticket


def _consume(session: Session, text: str, key: bytes, today: dt.date) -> str:
    """Mark the code used, atomically: of two answers racing with one code, one wins."""
    ticket = check(session, text, key=key, today=today)
    office, code_hash, issued_on = ticket.office_code, ticket.code_hash, ticket.issued_on
    serialise(session, office)
    done = session.execute(
        update(SurveyTicket)
        .where(SurveyTicket.code_hash == code_hash, SurveyTicket.used.is_(False))
        .values(used=True).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise UsedCodeError()
    session.expire(ticket)
    restack(session, SurveyTicket.__table__, office, "issued_on", issued_on)
    return office


@dataclass(frozen=True)
class Answers:
    """The nine scores (None where left blank) and the optional comment."""

    scores: tuple[int | None, ...]
    comment: str | None = None

    def problems(self, *, complete: bool) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if len(self.scores) != len(SCORE_COLUMNS):
            return {"scores": [f"{len(SCORE_COLUMNS)} scores are needed"]}
        for column, score in zip(SCORE_COLUMNS, self.scores, strict=True):
            if score is None and complete:
                errors[column] = ["choose one answer"]
            elif score is not None and score not in SCALE:
                errors[column] = ["answers are 1 to 4"]
        if all(s is None for s in self.scores):
            errors["scores"] = ["answer at least one question"]
        if self.comment and len(self.comment) > COMMENT_MAX:
            errors["comment"] = [f"at most {COMMENT_MAX} characters"]
        return errors


def new_response_id() -> str:
    """128 random bits: says nothing of when or after which other answer it was stored."""
    return secrets.token_hex(16)


def _response(office: str, day: dt.date, channel: str, answers: Answers,
              **extra: str | None) -> SurveyResponse:
    comment = (answers.comment or "").strip() or None
    return SurveyResponse(id=new_response_id(), office_code=office, day=day, channel=channel,
                          comment=comment, **dict(zip(SCORE_COLUMNS, answers.scores, strict=True)),
                          **extra)


def answer_at_kiosk(session: Session, text: str, answers: Answers, *, key: bytes,
                    today: dt.date) -> SurveyResponse:
    """A resident's answers with their code, stored with the day only. No audit entry is
    written now: its time, next to the handovers' in the audit log, would say whose answer
    this is. The day's kiosk answers are audited as a count once the day is over."""
    if errors := answers.problems(complete=True):
        raise InvalidRecordError(errors)
    office = _consume(session, text, key, today)
    response = _response(office, today, KIOSK, answers)
    session.add(response)
    restack(session, SurveyResponse.__table__, office, "day", today)
    return response


def audit_kiosk_answers(session: Session, *, today: dt.date) -> int:
    """One audit entry with the number of kiosk answers per office and day, for the days
    before ``today`` not audited yet (none when there is nothing new). Returns the answers
    counted."""
    r, until = SurveyResponse, today - dt.timedelta(days=1)
    since = _answers_audited_until(session)
    if since is not None and since >= until:
        return 0
    serialise(session, ANSWERS_AUDITED)  # the first handovers of a day, in two offices at once
    since = _answers_audited_until(session)
    if since is not None and since >= until:
        return 0
    query = select(r.day, r.office_code, func.count()).where(r.day <= until, r.channel == KIOSK)
    if since is not None:
        query = query.where(r.day > since)
    counts = sorted(session.execute(query.group_by(r.day, r.office_code)).all())
    if not counts:
        return 0
    audit.record(session, Actor(KIOSK_ACTOR), "survey.answers", ANSWERS_AUDITED,
                 until.isoformat(),
                 {f"{office} {day.isoformat()}": [None, n] for day, office, n in counts},
                 note=f"codes used at the kiosk, per office and day, until {until}")
    return sum(n for _day, _office, n in counts)


def _answers_audited_until(session: Session) -> dt.date | None:
    last = session.scalar(select(AuditEntry.entity_key).where(
        AuditEntry.entity == ANSWERS_AUDITED).order_by(AuditEntry.entity_key.desc()).limit(1))
    return dt.date.fromisoformat(last) if last else None


def enter_paper(session: Session, actor: Actor, *, office_code: str, day: dt.date, serial: str,
                answers: Answers, key: bytes, today: dt.date,
                code: str | None = None) -> SurveyResponse:
    """A paper form typed in by a clerk: its printed serial, and the resident's code if the
    form carries one (the code is then used up, as at the kiosk)."""
    serial = " ".join(serial.split()).upper()
    errors = answers.problems(complete=False)
    if not serial or len(serial) > SERIAL_MAX:
        errors["paper_serial"] = [f"type the serial number printed on the form (at most "
                                  f"{SERIAL_MAX} characters)"]
    if day > today:
        errors["day"] = ["the form cannot be dated in the future"]
    if errors:
        raise InvalidRecordError(errors)
    serialise(session, office_code)
    if _serial_taken(session, office_code, serial):
        raise PaperFormTakenError(office_code, serial)
    if code and code.strip():
        ticket = session.get(SurveyTicket, survey_codes.digest(survey_codes.normalise(code), key))
        if ticket is not None and ticket.office_code != office_code:
            raise OtherOfficeCodeError(ticket.office_code)
        _consume(session, code, key, today)
    response = _response(office_code, day, PAPER, answers, paper_serial=serial,
                         entered_by=actor.name)
    try:
        with session.begin_nested():  # two clerks typing the same form at once: one wins
            session.add(response)
    except IntegrityError:
        raise PaperFormTakenError(office_code, serial) from None
    restack(session, SurveyResponse.__table__, office_code, "day", day)
    audit.record(session, actor, "survey.paper", "survey_response", response.id,
                 {"office": [None, office_code], "day": [None, day.isoformat()],
                  "paper_serial": [None, serial],
                  **{c: [None, s] for c, s in zip(SCORE_COLUMNS, answers.scores, strict=True)}})
    return response


def _serial_taken(session: Session, office_code: str, serial: str) -> bool:
    return session.scalar(select(SurveyResponse.id).where(
        SurveyResponse.office_code == office_code, SurveyResponse.paper_serial == serial,
        SurveyResponse.voided_at.is_(None))) is not None


def get_response(session: Session, response_id: str) -> SurveyResponse:
    response = session.get(SurveyResponse, response_id)
    if response is None:
        raise NotFoundError("survey response", response_id)
    return response


def void(session: Session, actor: Actor, response: SurveyResponse, reason: str) -> None:
    """Leave a response out of every figure (a mistyped form, a test answer); kept, not
    deleted. A voided paper form's serial can be entered again."""
    if response.voided_at is not None:
        raise ConflictError(f"response {response.id} is voided already")
    if not reason.strip():
        raise InvalidRecordError({"reason": ["say why the response is voided"]})
    response.voided_at, response.voided_by = utcnow(), actor.name
    response.void_reason = reason.strip()[:300]
    audit.record(session, actor, "survey.void", "survey_response", response.id,
                 {"voided": [False, True]}, note=reason.strip())


def purge_tickets(session: Session, actor: Actor, *, expired_before: dt.date,
                  today: dt.date | None = None) -> int:
    """Forget tickets that expired before ``expired_before``: an old code then reads as
    unknown, and the database no longer says how many of a day's handovers answered. With
    ``today``, also audit the kiosk answers of the days before it (`audit_kiosk_answers`), for
    when no card was handed over since."""
    if today is not None:
        audit_kiosk_answers(session, today=today)
    count = session.execute(
        delete(SurveyTicket).where(SurveyTicket.expires_on < expired_before)
        .execution_options(synchronize_session=False)).rowcount
    if count:
        audit.record(session, actor, "survey.purge", "survey", "tickets",
                     {"deleted": [None, count]}, note=f"expired before {expired_before}")
    return count


# --- tallies ------------------------------------------------------------------------------------

def _scoped(query, column, offices: Sequence[str] | None):
    return query if offices is None else query.where(column.in_(list(offices)))


def daily_tallies(session: Session, offices: Sequence[str] | None,
                  period: Period) -> dict[tuple[str, dt.date, str], Tally]:
    """Tallies per (office, day, channel), summed in the database (exact integers)."""
    r = SurveyResponse
    columns = [getattr(r, c) for c in SCORE_COLUMNS]
    query = select(r.office_code, r.day, r.channel, func.count(),
                   *(func.coalesce(func.sum(c), 0) for c in columns),
                   *(func.count(c) for c in columns)).where(
        r.voided_at.is_(None), r.day >= period.start, r.day <= period.end)
    query = _scoped(query, r.office_code, offices).group_by(r.office_code, r.day, r.channel)
    n = len(columns)
    return {(row[0], row[1], row[2]): Tally(row[3], tuple(int(v) for v in row[4:4 + n]),
                                            tuple(row[4 + n:4 + 2 * n]))
            for row in session.execute(query)}


def invitations(session: Session, offices: Sequence[str] | None,
                period: Period) -> dict[str, int]:
    """Codes issued per office in the period."""
    i = SurveyInvitation
    query = select(i.office_code, func.count()).where(
        i.issued_on >= period.start, i.issued_on <= period.end)
    return dict(session.execute(_scoped(query, i.office_code, offices).group_by(i.office_code))
                .all())


def responses(session: Session, offices: Sequence[str] | None, period: Period, *,
              voided: bool = False, limit: int | None = None) -> list[SurveyResponse]:
    """Responses of the period, by office and day; within a day in random-key order, which
    says nothing about when each came in."""
    r = SurveyResponse
    query = select(r).where(r.day >= period.start, r.day <= period.end)
    query = query.where(r.voided_at.is_not(None) if voided else r.voided_at.is_(None))
    query = _scoped(query, r.office_code, offices).order_by(r.office_code, r.day.desc(), r.id)
    return list(session.scalars(query.limit(limit) if limit else query))
