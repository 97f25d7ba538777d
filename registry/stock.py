"""Blank-card stock per office (blangko): received, printed, spoiled, returned, transferred.

Every change is a conditional UPDATE of the balance row, so two clerks or workers racing for
the last blank cannot both get it, and the database's CHECK constraints refuse a negative
balance even if a bug tried. A blank is *reserved* when a print starts and *consumed* (printed
or spoiled) or *released* when it ends, so a batch never prints beyond the stock.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Update, bindparam, insert, select, update
from sqlalchemy.orm import Session

from . import audit
from .audit import Actor
from .dialect import insert_for
from .errors import InvalidRecordError, RegistryError
from .models import Office, StockBalance, StockMovement, utcnow
from .models.stock import PRINTED, RECEIVED, RETURNED, SPOILED, TRANSFER_IN, TRANSFER_OUT


class OutOfStockError(RegistryError):
    def __init__(self, office_code: str, wanted: int = 1, available: int = 0) -> None:
        super().__init__(
            f"office {office_code} has {available} blank card(s) available, {wanted} needed; "
            "receive stock or transfer it from another office")
        self.office_code, self.wanted, self.available = office_code, wanted, available


def _ensure(session: Session, office_code: str) -> None:
    if session.get(Office, office_code) is None:
        raise InvalidRecordError({"office": [f"no office {office_code}"]})
    stmt = insert_for(session, StockBalance).values(office_code=office_code, on_hand=0,
                                                    reserved=0)
    session.execute(stmt.on_conflict_do_nothing(index_elements=[StockBalance.office_code]))


def balance(session: Session, office_code: str) -> StockBalance:
    """The office's balance (zero when it never had stock)."""
    row = session.get(StockBalance, office_code)
    return row if row is not None else StockBalance(office_code=office_code, on_hand=0,
                                                    reserved=0)


def _change_statement() -> Update:
    b = StockBalance.__table__.c
    on_hand, reserved = bindparam("d_on_hand"), bindparam("d_reserved")
    return (update(StockBalance.__table__)
            .where(b.office_code == bindparam("office"),
                   b.on_hand + on_hand >= b.reserved + reserved, b.reserved + reserved >= 0)
            .values(on_hand=b.on_hand + on_hand, reserved=b.reserved + reserved))


# Built once: every card printed runs it twice, and building it costs more than running it.
_CHANGE = _change_statement()
_INSERT_MOVEMENT = insert(StockMovement.__table__)


def _change(session: Session, office_code: str, on_hand: int, reserved: int) -> bool:
    """Apply deltas only if the result stays valid; False when there was not enough."""
    result = session.execute(_CHANGE, {"office": office_code, "d_on_hand": on_hand,
                                       "d_reserved": reserved})
    return result.rowcount == 1


def _movement(session: Session, actor: Actor, office_code: str, kind: str, quantity: int,
              reason: str | None = None, reference: str | None = None,
              printer_id: int | None = None) -> StockMovement:
    movement = StockMovement(office_code=office_code, kind=kind, quantity=quantity, reason=reason,
                             reference=reference, printer_id=printer_id, actor=actor.name)
    session.add(movement)
    audit.record(session, actor, f"stock.{kind.lower()}", "office", office_code,
                 {"quantity": [None, quantity], "reference": [None, reference]}, note=reason)
    return movement


def _positive(quantity: int) -> None:
    if quantity < 1:
        raise InvalidRecordError({"quantity": ["must be at least 1"]})


def receive(session: Session, actor: Actor, office_code: str, quantity: int,
            reference: str | None = None, reason: str | None = None) -> StockMovement:
    """Blanks delivered to the office (``reference``: the delivery note)."""
    _positive(quantity)
    _ensure(session, office_code)
    _change(session, office_code, quantity, 0)
    return _movement(session, actor, office_code, RECEIVED, quantity, reason, reference)


def give_back(session: Session, actor: Actor, office_code: str, quantity: int,
              reason: str) -> StockMovement:
    """Blanks returned to the supplier or the Dinas (not printed on)."""
    _positive(quantity)
    _take(session, office_code, quantity)
    return _movement(session, actor, office_code, RETURNED, -quantity, reason)


def transfer(session: Session, actor: Actor, from_office: str, to_office: str, quantity: int,
             reason: str | None = None) -> tuple[StockMovement, StockMovement]:
    _positive(quantity)
    if from_office == to_office:
        raise InvalidRecordError({"to_office": ["must differ from the sending office"]})
    _ensure(session, to_office)
    _take(session, from_office, quantity)
    _change(session, to_office, quantity, 0)
    note = reason or f"transfer {from_office} -> {to_office}"
    return (_movement(session, actor, from_office, TRANSFER_OUT, -quantity, note, to_office),
            _movement(session, actor, to_office, TRANSFER_IN, quantity, note, from_office))


def spoil(session: Session, actor: Actor, office_code: str, reason: str,
          printer_id: int | None = None) -> StockMovement:
    """A blank found damaged or wasted outside a print (a misprint is `consume`)."""
    _take(session, office_code, 1)
    return _movement(session, actor, office_code, SPOILED, -1, reason, printer_id=printer_id)


def _take(session: Session, office_code: str, quantity: int) -> None:
    _ensure(session, office_code)
    if not _change(session, office_code, -quantity, 0):
        raise OutOfStockError(office_code, quantity, balance(session, office_code).available)


def reserve(session: Session, office_code: str) -> None:
    """Set one blank aside for a card about to be printed; `OutOfStockError` if none is left.
    The office is checked only when the update finds no blank (one round trip per card)."""
    if not _change(session, office_code, 0, 1):
        _ensure(session, office_code)
        raise OutOfStockError(office_code, 1, 0)


def release(session: Session, office_code: str) -> None:
    """The print never took the reserved blank."""
    if not _change(session, office_code, 0, -1):
        raise RegistryError(f"office {office_code} has no reserved blank to release")


def consume(session: Session, actor: Actor, office_code: str, *, spoiled: bool, reference: str,
            reason: str | None = None, printer_id: int | None = None,
            at: dt.datetime | None = None) -> None:
    """The reserved blank went through the printer: a card, or a spoiled blank. Written with
    direct INSERTs: it runs once per card printed. ``at``: when, if not now (demo history)."""
    if not _change(session, office_code, -1, -1):
        raise RegistryError(f"office {office_code} has no reserved blank to consume")
    kind = SPOILED if spoiled else PRINTED
    session.execute(_INSERT_MOVEMENT, {
        "office_code": office_code, "kind": kind, "quantity": -1, "reason": reason,
        "reference": reference, "printer_id": printer_id, "actor": actor.name,
        "at": at or utcnow()})
    audit.write(session, actor, f"stock.{kind.lower()}", "office", office_code,
                {"quantity": [None, -1], "reference": [None, reference]}, note=reason)


def ledger(session: Session, office_code: str, limit: int = 200) -> list[StockMovement]:
    return list(session.scalars(
        select(StockMovement).where(StockMovement.office_code == office_code)
        .order_by(StockMovement.id.desc()).limit(limit)))
