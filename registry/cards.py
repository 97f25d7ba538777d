"""Cards that came out of a printer: numbering, the record they were printed from, history."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Insert, Integer, bindparam, func, insert, literal_column, or_, select
from sqlalchemy.orm import Session

from . import audit
from .audit import Actor
from .models import Card, Resident, utcnow
from .models.issuance import CARD_ACTIVE, CARD_INVALID, CARD_PRINTED
from .residents import as_dict


def snapshot(resident: Resident, photo_id: int | None, signature_id: int | None) -> dict[str, Any]:
    """What a card carries, as the registry held it when printed (to tell what changed)."""
    data = {k: audit.jsonable(v) for k, v in as_dict(resident).items()}
    data.update(photo_id=photo_id, signature_id=signature_id)
    return data


def history(session: Session, resident_id: int) -> list[Card]:
    return list(session.scalars(
        select(Card).where(Card.resident_id == resident_id).order_by(Card.copy_number)))


VALID = (CARD_PRINTED, CARD_ACTIVE)
"""Card states that still count: printed and waiting, or in use."""


def latest(session: Session, resident_id: int) -> Card | None:
    """The newest card that is printed or in use (not the invalidated ones)."""
    return session.scalar(
        select(Card).where(Card.resident_id == resident_id,
                           Card.state.in_(VALID))
        .order_by(Card.copy_number.desc()).limit(1))


class Recorded(NamedTuple):
    """A card just recorded, as the rest of its transaction needs it (the audit entries, the
    attempt and the card row that point at it)."""

    id: int
    nik: str
    copy_number: int
    reason: str


def inserted(session: Session, actor: Actor, resident: Any, *, reason: str, office_code: str,
             photo_id: int | None, signature_id: int | None, application_id: int | None = None,
             printer_id: int | None = None, printer_serial: str | None = None,
             printer_card_number: int | None = None) -> Recorded:
    """A card has come out of a printer for ``resident`` (a `Resident` or its row): numbered,
    with the card it replaces and the data it was printed with, and audited. One plain
    INSERT that numbers the card itself, no ORM object to flush: it runs once for every card
    a batch worker prints."""
    card_id, copy, replaced_copy = session.execute(_INSERT_NUMBERED, {
        "p_resident": resident.id, "nik": resident.nik, "reason": reason,
        "application_id": application_id, "office_code": office_code,
        "printer_id": printer_id, "printer_serial": printer_serial,
        "printer_card_number": printer_card_number, "photo_id": photo_id,
        "signature_id": signature_id, "data": snapshot(resident, photo_id, signature_id),
        "state": CARD_PRINTED, "printed_at": utcnow(), "printed_by": actor.name}).one()
    audit.write(session, actor, "card.print", "card", f"{resident.nik}/{copy}",
                {"reason": [None, reason], "printer_card_number": [None, printer_card_number],
                 "replaces": [None, replaced_copy]})
    return Recorded(card_id, resident.nik, copy, reason)


def _insert_numbered() -> Insert:
    """The card's INSERT, numbering it in the same statement: the next copy number, and the
    card it replaces (`latest`: the newest printed or active one), both found through the
    unique index on (resident_id, copy_number). Returns the card's id, copy number and the
    copy number of the card it replaces."""
    cards = Card.__table__
    mine = cards.c.resident_id == bindparam("p_resident")
    given = ("nik", "reason", "application_id", "office_code", "printer_id", "printer_serial",
             "printer_card_number", "photo_id", "signature_id", "data", "state", "printed_at",
             "printed_by")
    next_copy = select(func.coalesce(func.max(cards.c.copy_number), 0) + 1).where(mine)
    replaced = (select(cards.c.id).where(mine, or_(*(cards.c.state == s for s in VALID)))
                .order_by(cards.c.copy_number.desc()).limit(1))
    # Written out: SQLAlchemy renders RETURNING on SQLite without table names, which inside
    # this subquery would name the replaced card.
    replaced_copy = literal_column(
        "(SELECT replaced.copy_number FROM cards AS replaced "
        "WHERE replaced.id = cards.replaces_card_id)", Integer)
    values = select(bindparam("p_resident", type_=cards.c.resident_id.type),
                    next_copy.scalar_subquery(), replaced.scalar_subquery(),
                    *(bindparam(c, type_=cards.c[c].type) for c in given))
    return (insert(cards)
            .from_select(("resident_id", "copy_number", "replaces_card_id", *given), values)
            .returning(cards.c.id, cards.c.copy_number, replaced_copy))


_INSERT_NUMBERED = _insert_numbered()  # built once: it runs once per card


def invalidate_others(session: Session, actor: Actor, card: Card, reason: str) -> list[Card]:
    """Mark every other printed or active card of the same person invalid."""
    others = list(session.scalars(select(Card).where(
        Card.resident_id == card.resident_id, Card.id != card.id,
        Card.state.in_(VALID))))
    for other in others:
        other.state, other.invalidated_at, other.invalid_reason = CARD_INVALID, utcnow(), reason
        audit.record(session, actor, "card.invalidate", "card", f"{other.nik}/{other.copy_number}",
                     {"state": [CARD_ACTIVE, CARD_INVALID]}, note=reason)
    return others
