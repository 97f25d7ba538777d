"""KTP applications (permohonan): who may get a card, the evidence a reprint needs, and the
states an application goes through, each step kept on its timeline and in the audit log.

diajukan -> diverifikasi -> dicetak -> diserahkan; or ditolak; a failed print leaves it
``GAGAL CETAK`` until it is printed again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from . import audit, cards
from .audit import Actor
from .errors import ConflictError, InvalidRecordError, NotFoundError
from .models import Application, ApplicationEvent, AuditEntry, Card, Resident, utcnow
from .models.issuance import (
    BARU,
    CARD_ACTIVE,
    CETAK_ULANG,
    DIAJUKAN,
    DICETAK,
    DISERAHKAN,
    DITOLAK,
    DIVERIFIKASI,
    GAGAL_CETAK,
    HILANG,
    OPEN_STATES,
    PERUBAHAN_DATA,
    REPRINT_REASONS,
    RUSAK,
)
from .residents import as_dict
from .values import AKTIF, BELUM_KAWIN

ADULT_AGE = 17
CHANGEABLE = ("nama", "alamat", "rt", "rw", "desa_code", "agama", "status_perkawinan",
              "pekerjaan", "kewarganegaraan", "itap_berlaku_hingga")

# The notes the registry writes itself on a timeline step (and on a replaced card) are a code
# with its values, stored as JSON, so that pages can say them in the clerk's language; the
# audit log keeps them as English sentences (`note_english`). Rows written before were such
# sentences: `read_note` reads those too. A note a person typed (a rejection) stays text.
SUBMITTED, PRINTED_COPY, RECEIVED_BY, REPLACED_BY = "submitted", "printed", "received", "replaced"
_ENGLISH = {
    SUBMITTED: lambda v: f"{v['kind']}{' ' + v['reason'] if v.get('reason') else ''} for "
                         f"{v['nik']}",
    PRINTED_COPY: lambda v: f"card copy {v['copy']}",
    RECEIVED_BY: lambda v: f"received by {v['by']}",
    REPLACED_BY: lambda v: f"replaced by copy {v['copy']}",
}
_OLDER = {  # the sentences of older rows, by the state of their step ("card": a replaced card)
    DIAJUKAN: (SUBMITTED, re.compile(
        r"^(?P<kind>BARU|CETAK ULANG)(?: (?P<reason>[A-Z][A-Z ]*?))? for (?P<nik>\d{16})$")),
    DICETAK: (PRINTED_COPY, re.compile(r"^card copy (?P<copy>\d+)$")),
    DISERAHKAN: (RECEIVED_BY, re.compile(r"^received by (?P<by>.+)$", re.S)),
    "card": (REPLACED_BY, re.compile(r"^replaced by copy (?P<copy>\d+)$")),
}


def coded_note(code: str, **values: Any) -> str:
    return json.dumps({"code": code, **values}, ensure_ascii=False, separators=(",", ":"))


def read_note(note: str | None, step: str | None = None) -> tuple[str | None, dict[str, Any]]:
    """``(code, values)`` of a note written by `coded_note`, or of an older row's sentence on
    a step of state ``step`` (``"card"`` for a card's invalid reason); ``(None, {})`` for text
    a person wrote."""
    if note and note.startswith("{"):
        try:
            values = json.loads(note)
        except ValueError:
            values = None
        if isinstance(values, dict) and values.get("code") in _ENGLISH:
            return values.pop("code"), values
    if note and step in _OLDER:
        code, pattern = _OLDER[step]
        if found := pattern.match(note):
            values = {k: v for k, v in found.groupdict().items() if v is not None}
            if "copy" in values:
                values["copy"] = int(values["copy"])
            return code, values
    return None, {}


def note_english(note: str | None, step: str | None = None) -> str | None:
    """The note as an English sentence (the audit log's language)."""
    code, values = read_note(note, step)
    return _ENGLISH[code](values) if code else note


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def eligibility(resident: Resident, today: dt.date | None = None) -> list[str]:
    """Why this resident may not get a KTP (UU 24/2013 Pasal 63); empty when they may."""
    today = today or dt.date.today()
    reasons = []
    if resident.status != AKTIF:
        reasons.append(f"resident is {resident.status.lower()}: no card is issued")
    if age_on(resident.tanggal_lahir, today) < ADULT_AGE and \
            resident.status_perkawinan == BELUM_KAWIN:
        reasons.append(f"under {ADULT_AGE} and never married")
    if resident.kewarganegaraan == "WNA":
        itap = resident.itap_berlaku_hingga
        if itap is None or itap < today:
            reasons.append("WNA without a valid ITAP (permanent stay permit)")
    return reasons


def get(session: Session, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise NotFoundError("application", str(application_id))
    return application


def open_for(session: Session, resident_id: int) -> Application | None:
    return session.scalar(select(Application).where(
        Application.resident_id == resident_id, Application.state.in_(OPEN_STATES)))


def changes_since(card: Card, resident: Resident) -> dict[str, list[Any]]:
    """Registry fields whose value differs from what the card was printed with."""
    now = {k: audit.jsonable(v) for k, v in as_dict(resident).items()}
    return {f: [card.data.get(f), now.get(f)] for f in CHANGEABLE
            if card.data.get(f) != now.get(f)}


def _event(session: Session, actor: Actor, application: Application, to_state: str,
           note: str | None = None, changes: dict[str, Any] | None = None) -> None:
    from_state = application.state if application.id else None
    session.add(ApplicationEvent(application_id=application.id, actor=actor.name,
                                 from_state=from_state, to_state=to_state, note=note))
    application.state = to_state
    audit.record(session, actor, f"application.{to_state.lower().replace(' ', '_')}",
                 "application", str(application.id),
                 {"state": [from_state, to_state], **(changes or {})},
                 note=note_english(note, to_state))


def submit(session: Session, actor: Actor, resident: Resident, office_code: str, *,
           reason: str | None = None, police_report_no: str | None = None,
           damaged_card_returned: bool | None = None, document_ref: str | None = None,
           new_photo: bool = False) -> Application:
    """Take an application: a first card, or a reprint (``reason``) with its evidence.

    A data-change reprint records the fields changed since the last card; a new photo alone
    is a data change too (``new_photo``: verification then checks the photo is new).
    """
    errors: dict[str, list[str]] = {}
    if reasons := eligibility(resident):
        errors["resident"] = reasons
    if open_for(session, resident.id) is not None:
        raise ConflictError(f"{resident.nik} already has an open application")
    previous = cards.latest(session, resident.id)
    kind = BARU if previous is None else CETAK_ULANG
    changed = None
    if kind == BARU and reason:
        errors["reason"] = ["a first card has no reprint reason: this resident has no card yet"]
    if kind == CETAK_ULANG:
        if reason not in REPRINT_REASONS:
            errors["reason"] = [f"a reprint needs a reason: {', '.join(REPRINT_REASONS)}"]
        elif reason == HILANG and not (police_report_no or "").strip():
            errors["police_report_no"] = ["a lost card needs the police loss report number"]
        elif reason == RUSAK and not damaged_card_returned:
            errors["damaged_card_returned"] = ["the damaged card must be handed in"]
        elif reason == PERUBAHAN_DATA:
            if not (document_ref or "").strip():
                errors["document_ref"] = ["name the supporting document of the change"]
            changed = changes_since(previous, resident)
            if new_photo:
                changed["photo"] = [previous.photo_id, "new"]
            if not changed and not errors:
                errors["reason"] = ["nothing changed since the last card was printed "
                                    "(for a new photo alone, say so)"]
    if errors:
        raise InvalidRecordError(errors)
    application = Application(
        resident_id=resident.id, office_code=office_code, kind=kind, reason=reason,
        police_report_no=(police_report_no or "").strip() or None,
        damaged_card_returned=damaged_card_returned if reason == RUSAK else None,
        document_ref=(document_ref or "").strip() or None, changed_fields=changed,
        created_by=actor.name, state=DIAJUKAN)
    session.add(application)
    session.flush()
    _event(session, actor, application, DIAJUKAN,
           note=coded_note(SUBMITTED, kind=kind, reason=reason, nik=resident.nik),
           changes={"resident": [None, resident.nik], "kind": [None, kind],
                    "reason": [None, reason]})
    return application


def attach_image(session: Session, actor: Actor, application: Application, kind: str,
                 image_id: int, warnings: Sequence[str] = ()) -> None:
    """The photo or signature captured for this application. ``warnings``: the codes of the
    photo checks' doubts the clerk went ahead with, kept for the verification
    (`image_warnings`)."""
    if application.state not in (DIAJUKAN,):
        raise ConflictError(f"application {application.id} is {application.state}: "
                            "capture happens before verification")
    setattr(application, f"{kind}_id", image_id)
    changes: dict[str, Any] = {f"{kind}_id": [None, image_id]}
    if warnings:
        changes[f"{kind}_warnings"] = [None, ", ".join(warnings)]
    audit.record(session, actor, f"application.{kind}", "application", str(application.id),
                 changes)


def image_warnings(session: Session, application: Application, kind: str) -> list[str]:
    """The warning codes recorded when the application's current ``kind`` was attached."""
    image_id = getattr(application, f"{kind}_id")
    if image_id is None:
        return []
    changes = session.scalar(
        select(AuditEntry.changes)
        .where(AuditEntry.entity == "application", AuditEntry.entity_key == str(application.id),
               AuditEntry.action == f"application.{kind}")
        .order_by(AuditEntry.id.desc()).limit(1)) or {}
    if changes.get(f"{kind}_id", [None, None])[1] != image_id:
        return []
    codes = changes.get(f"{kind}_warnings", [None, ""])[1] or ""
    return [code for code in codes.split(", ") if code]


def _require(application: Application, *states: str) -> None:
    if application.state not in states:
        raise ConflictError(f"application {application.id} is {application.state}, "
                            f"not {' or '.join(states)}")


def verify(session: Session, actor: Actor, application: Application) -> None:
    """A supervisor approves; not the clerk who took the application (four eyes)."""
    _require(application, DIAJUKAN)
    if actor.name == application.created_by:
        raise ConflictError("the clerk who took an application cannot also verify it")
    missing = [k for k in ("photo", "signature") if getattr(application, f"{k}_id") is None]
    if missing:
        raise InvalidRecordError({k: ["must be captured before verification"] for k in missing})
    changed = application.changed_fields or {}
    if "photo" in changed and changed["photo"][0] == application.photo_id:
        raise InvalidRecordError({"photo": ["the change is a new photo: capture it first"]})
    application.verified_by, application.verified_at = actor.name, utcnow()
    _event(session, actor, application, DIVERIFIKASI)


def reject(session: Session, actor: Actor, application: Application, reason: str) -> None:
    _require(application, DIAJUKAN, DIVERIFIKASI, GAGAL_CETAK)
    if not reason.strip():
        raise InvalidRecordError({"reason": ["say why the application is rejected"]})
    application.rejection_reason = reason.strip()
    _event(session, actor, application, DITOLAK, note=reason.strip())


def printed(session: Session, actor: Actor, application: Application,
            card: Card | cards.Recorded) -> None:
    _require(application, DIVERIFIKASI, GAGAL_CETAK)
    application.failure_reason = None
    _event(session, actor, application, DICETAK,
           note=coded_note(PRINTED_COPY, copy=card.copy_number))


def print_failed(session: Session, actor: Actor, application: Application, reason: str) -> None:
    _require(application, DIVERIFIKASI, GAGAL_CETAK)
    application.failure_reason = reason[:300]
    _event(session, actor, application, GAGAL_CETAK, note=reason[:300])


def card_of(session: Session, application: Application) -> Card | None:
    return session.scalar(select(Card).where(Card.application_id == application.id)
                          .order_by(Card.id.desc()).limit(1))


def hand_over(session: Session, actor: Actor, application: Application,
              received_by: str) -> Card:
    """Serah terima: the card goes to the resident; any previous card becomes invalid."""
    _require(application, DICETAK)
    if not received_by.strip():
        raise InvalidRecordError({"received_by": ["who received the card?"]})
    card = card_of(session, application)
    if card is None:
        raise ConflictError(f"application {application.id} has no printed card")
    card.state, card.handed_over_at = CARD_ACTIVE, utcnow()
    card.handed_over_by, card.received_by = actor.name, received_by.strip()
    replaced = coded_note(REPLACED_BY, copy=card.copy_number)
    for other in cards.invalidate_others(session, actor, card, note_english(replaced)):
        other.invalid_reason = replaced  # the audit entry keeps the English sentence
    _event(session, actor, application, DISERAHKAN,
           note=coded_note(RECEIVED_BY, by=received_by.strip()))
    return card


def owed_queue(session: Session, office_code: str) -> list[Application]:
    """Approved applications waiting for a blank: first-time applicants first, then oldest."""
    return list(session.scalars(
        select(Application)
        .where(Application.office_code == office_code,
               Application.state.in_((DIVERIFIKASI, GAGAL_CETAK)))
        .order_by(case((Application.kind == BARU, 0), else_=1), Application.verified_at,
                  Application.id)))
