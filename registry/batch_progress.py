"""How far a batch is: counts per state, rate and time left, per-card outcomes, printers."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from . import printer_events, stock
from .models import Card, Printer, Resident, utcnow
from .models.batch import (
    ACTIVE,
    FINAL,
    ITEM_STATES,
    PENDING,
    PRINTED,
    RUNNING,
    SKIPPED,
    SPOILED_SQL,
    Batch,
    BatchItem,
    BatchPrinter,
)

RATE_WINDOW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Progress:
    counts: dict[str, int]  # every card state, zeros included
    total: int
    done: int  # printed, failed, skipped or cancelled
    remaining: int  # pending, printing or held
    per_minute: float | None  # printed cards a minute, over the last few minutes
    seconds_left: float | None
    spoiled: int = 0  # blanks spoiled on the way (jams, faults mid-card)
    # Of a running batch with cards to take: the blanks its office has left (else None), and
    # whether its cards wait for blanks (none left): no time left is guessed while they wait.
    blanks_available: int | None = None
    waiting_for_stock: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def progress(session: Session, batch: Batch, now: dt.datetime | None = None) -> Progress:
    now = now or utcnow()
    rows = session.execute(select(BatchItem.state, func.count()).where(
        BatchItem.batch_id == batch.id).group_by(BatchItem.state))
    counts = dict.fromkeys(ITEM_STATES, 0) | dict(rows.all())
    remaining = sum(counts[s] for s in ACTIVE)
    recent, since = session.execute(select(func.count(), func.min(BatchItem.finished_at)).where(
        BatchItem.batch_id == batch.id, BatchItem.state == PRINTED,
        BatchItem.finished_at >= now - RATE_WINDOW)).one()
    per_minute = None
    if recent >= 2 and since is not None and since < now:
        per_minute = recent / ((now - since).total_seconds() / 60)
    available = None
    if batch.state == RUNNING and counts[PENDING]:
        available = stock.balance(session, batch.office_code).available
    waiting = available is not None and available <= 0
    seconds_left = (remaining / per_minute * 60 if per_minute and remaining and not waiting
                    else None)
    spoiled = session.scalar(select(func.coalesce(func.sum(BatchItem.spoiled), 0)).where(
        BatchItem.batch_id == batch.id, text(f"batch_items.{SPOILED_SQL}"))) or 0
    return Progress(counts, sum(counts.values()), sum(counts[s] for s in FINAL), remaining,
                    per_minute, seconds_left, spoiled, available, waiting)


def skips(session: Session, batch_id: int) -> dict[str, int]:
    """How many residents were skipped for each reason, most frequent first."""
    rows = session.execute(select(BatchItem.skip_code, func.count()).where(
        BatchItem.batch_id == batch_id, BatchItem.state == SKIPPED)
        .group_by(BatchItem.skip_code).order_by(func.count().desc()))
    return dict(rows.all())


def _with_names():
    return (select(BatchItem, Resident.nama, Printer.name, Card.copy_number)
            .outerjoin(Resident, Resident.id == BatchItem.resident_id)
            .outerjoin(Printer, Printer.id == BatchItem.printer_id)
            .outerjoin(Card, Card.id == BatchItem.card_id))


def items(session: Session, batch_id: int, *, states: tuple[str, ...] = (), page: int = 1,
          per_page: int = 100) -> tuple[list[dict[str, Any]], int]:
    """One page of the batch's cards with their outcome, and how many there are in all."""
    where = [BatchItem.batch_id == batch_id]
    if states:
        where.append(BatchItem.state.in_(states))
    total = session.scalar(select(func.count()).select_from(BatchItem).where(*where)) or 0
    rows = session.execute(_with_names().where(*where).order_by(BatchItem.id)
                           .limit(per_page).offset((max(page, 1) - 1) * per_page))
    return [item_out(*row) for row in rows], total


def item(session: Session, batch_id: int, item_id: int) -> dict[str, Any] | None:
    row = session.execute(_with_names().where(BatchItem.id == item_id,
                                              BatchItem.batch_id == batch_id)).first()
    return item_out(*row) if row else None


def item_out(item: BatchItem, nama: str | None, printer: str | None,
             copy: int | None) -> dict[str, Any]:
    return {"id": item.id, "nik": item.nik, "nama": nama, "state": item.state,
            "skip_code": item.skip_code, "message": item.message, "attempts": item.attempts,
            "spoiled": item.spoiled, "printer": printer, "card_reason": item.card_reason,
            "card_id": item.card_id, "copy_number": copy, "claimed_at": item.claimed_at,
            "finished_at": item.finished_at}


def printers(session: Session, live_after: dt.datetime,
             batch_id: int | None = None) -> list[dict[str, Any]]:
    """Every printer with the worker driving it (if any), its last fault or recovery, and how
    many cards of ``batch_id`` it printed."""
    rows = session.execute(select(Printer, BatchPrinter)
                           .outerjoin(BatchPrinter, BatchPrinter.printer_id == Printer.id)
                           .order_by(Printer.name))
    done = {} if batch_id is None else dict(session.execute(
        select(BatchItem.printer_id, func.count()).where(
            BatchItem.batch_id == batch_id, BatchItem.state == PRINTED)
        .group_by(BatchItem.printer_id)).all())
    out = []
    for printer, lease in rows:
        live = bool(lease and lease.token and lease.heartbeat_at
                    and lease.heartbeat_at > live_after)
        event = printer_events.last(session, printer.id)
        out.append({
            "name": printer.name, "office_code": printer.office_code,
            "worker": lease.holder if live else None,
            "state": lease.state if live else "no worker",
            "detail": lease.detail if lease else None,
            "cards_printed": done.get(printer.id, 0),
            "item_id": lease.item_id if live else None,
            "heartbeat_at": lease.heartbeat_at if lease else None,
            "last_event": None if event is None else {
                "state": event.state, "code": event.code, "message": event.message,
                "at": event.at}})
    return out
