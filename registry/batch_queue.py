"""The queue of batch cards: taking the next card for a printer, and closing it.

Taking a card is one short write transaction. On PostgreSQL the next pending row is locked
with ``FOR UPDATE SKIP LOCKED``, so workers on several machines each get a different card
without waiting for each other; on SQLite the write transaction itself is exclusive (``BEGIN
IMMEDIATE``), so reading the next row and marking it taken cannot interleave with another
worker. Either way a card row is ``printing`` for exactly one printer at a time, and the
conditional UPDATE on ``state = 'pending'`` refuses a second taker even if a lock was lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from . import audit, batch_selection, batches, stock
from .audit import Actor
from .batch_selection import CARD_SINCE, Skip
from .errors import ConflictError
from .models import Card, PrintAttempt, utcnow
from .models.batch import (
    CANCELLED,
    FAILED,
    HELD,
    ITEM_CANCELLED,
    PENDING,
    PRINTED,
    PRINTING,
    RUNNING,
    SKIPPED,
    Batch,
    BatchItem,
    BatchPrinter,
)
from .models.issuance import ATTEMPT_HELD, ATTEMPT_PRINTING, BARU, CETAK_ULANG

SOURCE = "batch"  # PrintAttempt.source of batch cards
CARD_DATA = "card-data"  # the card cannot be drawn from the record: fix the record first
SKIPS_PER_TAKE = 50


@dataclass(frozen=True)
class Claim:
    item_id: int
    batch_id: int
    nik: str
    office_code: str


@dataclass(frozen=True)
class NoCard:
    """Nothing to take now; ``no_stock``: offices whose running batches wait for blanks."""

    no_stock: tuple[str, ...] = ()


def claim(session: Session, printer_id: int, today: dt.date | None = None) -> Claim | NoCard:
    """Take the next card of the oldest running batch for ``printer_id``."""
    no_stock = []
    running = session.execute(select(Batch.id, Batch.office_code, Batch.created_at)
                              .where(Batch.state == RUNNING).order_by(Batch.id)).all()
    for batch_id, office_code, created_at in running:
        if stock.balance(session, office_code).available <= 0:
            if _has_pending(session, batch_id):
                no_stock.append(office_code)
            else:
                batches.finish_if_done(session, session.get(Batch, batch_id))
            continue
        taken = _take(session, batch_id, created_at, printer_id, today or dt.date.today())
        if taken is not None:
            return Claim(taken.id, batch_id, taken.nik, office_code)
    return NoCard(tuple(sorted(set(no_stock))))


def _has_pending(session: Session, batch_id: int) -> bool:
    return session.scalar(select(BatchItem.id).where(
        BatchItem.batch_id == batch_id, BatchItem.state == PENDING).limit(1)) is not None


def _next_pending(session: Session, batch_id: int) -> BatchItem | None:
    return session.scalar(
        select(BatchItem).where(BatchItem.batch_id == batch_id, BatchItem.state == PENDING)
        .order_by(BatchItem.id).limit(1).with_for_update(skip_locked=True))


def _take(session: Session, batch_id: int, made_at: dt.datetime, printer_id: int,
          today: dt.date) -> BatchItem | None:
    for _ in range(SKIPS_PER_TAKE):
        item = _next_pending(session, batch_id)
        if item is None:
            batches.finish_if_done(session, session.get(Batch, batch_id))
            return None
        found = batch_selection.facts(session, [item.resident_id])[item.resident_id]
        skip = _recheck(found, made_at, today)
        if skip is not None:
            _close(item, SKIPPED, skip.message, skip.code)
            session.get(Batch, batch_id).skipped += 1
            continue
        taken = session.execute(
            update(BatchItem).where(BatchItem.id == item.id, BatchItem.state == PENDING)
            .values(state=PRINTING, printer_id=printer_id, claimed_at=utcnow(),
                    attempts=BatchItem.attempts + 1,
                    card_reason=BARU if found.last_card_at is None else CETAK_ULANG,
                    photo_id=found.photo_id, signature_id=found.signature_id)
            .execution_options(synchronize_session=False))
        if taken.rowcount == 1:
            return item
    return None


def _recheck(found: batch_selection.Facts, made_at: dt.datetime, today: dt.date) -> Skip | None:
    """The rules again, now (the card row itself is the resident's one active row). A card
    printed since the batch was made makes this one redundant. The card's reason follows: a
    first card is BARU, any later one a reprint (CETAK ULANG)."""
    skip = batch_selection.skip_for(replace(found, other_batch=None), today)
    last = found.last_card_at
    if skip is None and last is not None and last > made_at:
        skip = Skip(CARD_SINCE, f"got a card on {last:%Y-%m-%d} after the batch was made")
    return skip


def unclaim(session: Session, item_id: int, message: str) -> None:
    """Put a taken card back untouched (no blank was reserved for it)."""
    session.execute(update(BatchItem).where(BatchItem.id == item_id, BatchItem.state == PRINTING)
                    .values(state=PENDING, attempts=BatchItem.attempts - 1, message=message[:500])
                    .execution_options(synchronize_session=False))


def _close(item: BatchItem, state: str, message: str | None, code: str | None = None) -> None:
    item.state, item.message, item.finished_at = state, message[:500] if message else None, utcnow()
    if code is not None:
        item.skip_code = code


def printed(session: Session, actor: Actor, item_id: int, card: Card) -> None:
    """The card came out and is recorded (same transaction as `registry.cards.record`)."""
    item = session.get(BatchItem, item_id)
    if item.state == PRINTED:
        raise ConflictError(f"batch card {item_id} was already printed (card {item.card_id})")
    _close(item, PRINTED, None)
    item.card_id = card.id
    batch = item.batch
    audit.record(session, actor, "batch.card_printed", "card", f"{card.nik}/{card.copy_number}",
                 {"batch": [None, batch.id], "batch_item": [None, item.id],
                  "reason": [None, card.reason]}, note=batch.reason)
    batches.finish_if_done(session, batch)


def failed(session: Session, item_id: int, *, code: str | None, consumed: bool, message: str,
           max_spoiled: int) -> str:
    """No card came out: back to the queue, or failed when printing it again is pointless.
    Returns the card's new state."""
    item = session.get(BatchItem, item_id)
    item.spoiled += bool(consumed)
    text = f"{code}: {message}" if code else message
    if code == CARD_DATA:
        _close(item, FAILED, text)
    elif item.spoiled >= max_spoiled:
        _close(item, FAILED, f"{item.spoiled} blanks spoiled on this card; last: {text}")
    elif item.batch.state == CANCELLED:
        _close(item, ITEM_CANCELLED, f"batch cancelled; last: {text}")
    else:
        item.state, item.message = PENDING, text[:500]
    if item.state != PENDING:
        batches.finish_if_done(session, item.batch)
    return item.state


def held(session: Session, item_id: int, message: str) -> None:
    item = session.get(BatchItem, item_id)
    if item.state in (PRINTING, HELD):
        item.state, item.message = HELD, message[:500]


def give_up(session: Session, item_id: int, message: str) -> None:
    """Fail a card that keeps breaking the worker, once its open print is settled."""
    item = session.get(BatchItem, item_id)
    if item.state == PENDING:
        _close(item, FAILED, message)
        batches.finish_if_done(session, item.batch)


def takeable(session: Session) -> bool:
    """Is any card waiting in a running batch whose office has blanks?"""
    running = session.execute(select(Batch.id, Batch.office_code)
                              .where(Batch.state == RUNNING)).all()
    return any(stock.balance(session, office_code).available > 0
               and _has_pending(session, batch_id) for batch_id, office_code in running)


def last_attempt(session: Session, item_id: int) -> PrintAttempt | None:
    return session.scalar(select(PrintAttempt).where(PrintAttempt.source == SOURCE,
                                                     PrintAttempt.source_id == item_id)
                          .order_by(PrintAttempt.id.desc()).limit(1))


def _open_attempt_items():
    return select(PrintAttempt.source_id).where(
        PrintAttempt.source == SOURCE, PrintAttempt.state.in_((ATTEMPT_PRINTING, ATTEMPT_HELD)))


def requeue_orphans(session: Session, printer_id: int) -> int:
    """Cards taken for ``printer_id`` whose print never started (the worker stopped between
    taking the card and reserving its blank): back to the queue. Only the worker holding the
    printer's lease may call this, when it is not printing."""
    cancelled = select(Batch.id).where(Batch.state == CANCELLED)
    result = session.execute(
        update(BatchItem).where(BatchItem.printer_id == printer_id, BatchItem.state == PRINTING,
                                BatchItem.id.not_in(_open_attempt_items()))
        .values(state=case((BatchItem.batch_id.in_(cancelled), ITEM_CANCELLED), else_=PENDING),
                message="taken by a worker that stopped before printing it")
        .execution_options(synchronize_session=False))
    return result.rowcount


def in_flight_elsewhere(session: Session, printer_id: int, live_after: dt.datetime) -> int:
    """Cards being printed on other printers whose worker is alive: they may come back to the
    queue (a printer fault), so an idle worker waits for them before it stops."""
    live = select(BatchPrinter.printer_id).where(BatchPrinter.token.is_not(None),
                                                 BatchPrinter.heartbeat_at > live_after)
    return session.scalar(
        select(func.count()).select_from(BatchItem).join(Batch, Batch.id == BatchItem.batch_id)
        .where(Batch.state == RUNNING, BatchItem.state == PRINTING,
               BatchItem.printer_id != printer_id, BatchItem.printer_id.in_(live))) or 0
