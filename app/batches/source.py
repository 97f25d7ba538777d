"""Batch cards as a source of cards for `app.issuance`: what to print for a card row, and how
the row closes when the card came out or did not."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from registry import batch_queue
from registry.audit import Actor
from registry.cards import Recorded
from registry.models.batch import BatchItem
from registry.models.issuance import CETAK_ULANG

from ..issuance import PRINTER_FAULTS, CardRequest, Source, register_source
from .settings import settings

# Failed prints that say nothing against the card: the printer's faults, a spoiled blank
# (counted on its own), an interrupted print settled as never started, a clerk's finding.
NOT_THE_CARDS = PRINTER_FAULTS | {"spoiled", "not-started", "not-sent", "untouched",
                                  batch_queue.CARD_DATA}

_ITEM = BatchItem.__table__.c
_REQUEST = select(_ITEM.card_reason, _ITEM.photo_id, _ITEM.signature_id).where(
    _ITEM.id == bindparam("p_id"))  # built once: it runs twice per card


def _request(session: Session, item_id: int) -> CardRequest:
    reason, photo_id, signature_id = session.execute(_REQUEST, {"p_id": item_id}).one()
    return CardRequest(reason or CETAK_ULANG, None, photo_id, signature_id)


def _printed(session: Session, actor: Actor, item_id: int, card: Recorded) -> None:
    batch_queue.printed(session, actor, item_id, card)


def _failed(session: Session, actor: Actor, item_id: int, message: str) -> None:
    attempt = batch_queue.last_attempt(session, item_id)
    code = attempt.error_code if attempt is not None else None
    consumed = bool(attempt is not None and attempt.card_consumed)
    chosen = settings()
    failures = (0 if code in NOT_THE_CARDS
                else batch_queue.failures(session, item_id, NOT_THE_CARDS))
    batch_queue.failed(session, item_id, code=code, consumed=consumed, message=message,
                       max_spoiled=chosen.max_spoiled, failures=failures,
                       max_failures=chosen.max_failures)


def is_printer_fault(code: str | None) -> bool:
    return code in PRINTER_FAULTS


register_source(Source(batch_queue.SOURCE, _request, _printed, _failed))
