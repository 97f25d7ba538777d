"""Batch reprint jobs: making one from a selection, pausing, resuming, cancelling, retrying.

Making a batch writes one row per selected resident in one transaction (a 100,000-card batch
in a few seconds): the batch exists whole or not at all, and a resident who cannot get a card
is a skipped row with its reason, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Update, bindparam, exists, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, batch_selection
from .audit import Actor
from .batch_selection import RECHECKABLE, Candidate, Selection
from .dialect import gc_paused, insert_rows
from .errors import ConflictError, InvalidRecordError, NotFoundError
from .models import Office, utcnow
from .models.batch import (
    ACTIVE_SQL,
    CANCELLED,
    DONE,
    FAILED,
    ITEM_CANCELLED,
    PAUSED,
    PENDING,
    RUNNING,
    SKIPPED,
    Batch,
    BatchItem,
)
from .regions import in_region

MAX_REASON = 300


def get(session: Session, batch_id: int) -> Batch:
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFoundError("batch", str(batch_id))
    return batch


def listed(session: Session, office_code: str | None = None, limit: int = 50) -> list[Batch]:
    """Newest first; with ``office_code``, that office's batches and those of offices under it."""
    query = select(Batch).order_by(Batch.id.desc()).limit(limit)
    if office_code:
        query = query.where(in_region(Batch.office_code, office_code))
    return list(session.scalars(query))


def create(session: Session, actor: Actor, selection: Selection, *, reason: str,
           office_code: str, area: str | None = None, today: dt.date | None = None) -> Batch:
    """A batch of every selected resident, printed from ``office_code``'s blank stock.

    ``area``: residents living outside it are skipped (a supervisor's own area).
    """
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason or len(reason) > MAX_REASON:
        errors["reason"] = [f"say why these cards are printed (1-{MAX_REASON} characters)"]
    if session.get(Office, office_code) is None:
        errors["office"] = [f"no office {office_code}"]
    if errors:
        raise InvalidRecordError(errors)
    with gc_paused():
        chosen = batch_selection.candidates(session, selection, today or dt.date.today(), area)
        if not chosen:
            raise InvalidRecordError({"selection": [f"{selection.kind} selects no resident"]})
        batch = Batch(office_code=office_code, reason=reason, selection=selection.as_json(),
                      label=batch_selection.label(session, selection), created_by=actor.name)
        session.add(batch)
        session.flush()
        skipped = _write_items(session, batch.id, chosen)
    batch.total, batch.skipped = len(chosen), skipped
    if skipped == len(chosen):
        batch.state, batch.finished_at = DONE, utcnow()
    audit.record(session, actor, "batch.create", "batch", str(batch.id),
                 audit.created({"office_code": office_code, "selection": batch.label,
                                "total": batch.total, "skipped": skipped}), note=reason)
    return batch


_ITEM_COLUMNS = ("batch_id", "resident_id", "nik", "state", "skip_code", "message",
                 "attempts", "spoiled")


def _write_items(session: Session, batch_id: int, chosen: list[Candidate]) -> int:
    """One row per candidate, in one bulk insert; returns how many are skipped."""
    rows = [(batch_id, resident_id, nik, PENDING, None, None, 0, 0) if skip is None
            else (batch_id, resident_id, nik, SKIPPED, skip.code, skip.message, 0, 0)
            for nik, resident_id, skip in chosen]
    try:
        insert_rows(session, BatchItem.__table__, _ITEM_COLUMNS, rows)
    except IntegrityError:
        raise ConflictError("another batch taking some of these residents was made at the "
                            "same moment; make this one again") from None
    return sum(c.skip is not None for c in chosen)


def _change(session: Session, actor: Actor, batch: Batch, to: str, *allowed: str,
            note: str | None = None) -> None:
    if batch.state not in allowed:
        raise ConflictError(f"batch {batch.id} is {batch.state}, not {' or '.join(allowed)}")
    audit.record(session, actor, f"batch.{to}", "batch", str(batch.id),
                 {"state": [batch.state, to]}, note=note)
    batch.state = to


def pause(session: Session, actor: Actor, batch: Batch) -> None:
    """Workers finish the card in hand and take no more from this batch."""
    _change(session, actor, batch, PAUSED, RUNNING)


def resume(session: Session, actor: Actor, batch: Batch) -> None:
    _change(session, actor, batch, RUNNING, PAUSED)
    finish_if_done(session, batch)


def cancel(session: Session, actor: Actor, batch: Batch, note: str | None = None) -> int:
    """No more cards from this batch; returns how many pending cards were cancelled. A card
    being printed finishes (it cannot be called back); held cards still need a clerk."""
    _change(session, actor, batch, CANCELLED, RUNNING, PAUSED, note=note)
    batch.finished_at = utcnow()
    result = session.execute(
        update(BatchItem).where(BatchItem.batch_id == batch.id, BatchItem.state == PENDING)
        .values(state=ITEM_CANCELLED, finished_at=utcnow(), message="batch cancelled")
        .execution_options(synchronize_session=False))
    return result.rowcount


def retry(session: Session, actor: Actor, batch: Batch, today: dt.date | None = None,
          area: str | None = None) -> int:
    """Queue again the failed cards, and the skipped ones whose reason may have gone (a photo
    taken since, an application closed); returns how many were queued."""
    if batch.state == CANCELLED:
        raise ConflictError(f"batch {batch.id} is cancelled")
    rows = list(session.scalars(select(BatchItem).where(
        BatchItem.batch_id == batch.id,
        (BatchItem.state == FAILED)
        | ((BatchItem.state == SKIPPED) & BatchItem.skip_code.in_(RECHECKABLE)))))
    queued, today = 0, today or dt.date.today()
    found = batch_selection.facts(session, [r.resident_id for r in rows])
    for item in rows:
        skip = batch_selection.skip_for(found[item.resident_id], today, area)
        if skip is not None:
            item.state, item.skip_code, item.message = SKIPPED, skip.code, skip.message
            continue
        item.state, item.skip_code, item.message = PENDING, None, None
        item.spoiled, item.finished_at = 0, None
        queued += 1
    if queued:
        batch.skipped = session.scalar(select(func.count()).where(
            BatchItem.batch_id == batch.id, BatchItem.state == SKIPPED)) or 0
        if batch.state == DONE:
            batch.state, batch.finished_at = RUNNING, None
    audit.record(session, actor, "batch.retry", "batch", str(batch.id),
                 {"queued": [None, queued]})
    return queued


def finish_if_done(session: Session, batch: Batch) -> bool:
    """`finish_when_empty` for a loaded `Batch`: its pending changes go first, and the object
    shows the outcome."""
    session.flush()
    if not finish_when_empty(session, batch.id):
        return False
    session.refresh(batch, ["state", "finished_at"])
    return True


def _finish_when_empty_statement() -> Update:
    batch, items = Batch.__table__.c, BatchItem.__table__.c
    left = exists().where(items.batch_id == batch.id, text(f"batch_items.{ACTIVE_SQL}"))
    return (update(Batch.__table__)
            .where(batch.id == bindparam("batch"), batch.state == RUNNING, ~left)
            .values(state=DONE, finished_at=bindparam("now")))


_FINISH_WHEN_EMPTY = _finish_when_empty_statement()  # built once: it runs once per card


def finish_when_empty(session: Session, batch_id: int) -> bool:
    """Mark a running batch done once no card of it is left to print: one conditional
    UPDATE, as it runs after every card."""
    result = session.execute(_FINISH_WHEN_EMPTY, {"batch": batch_id, "now": utcnow()})
    return result.rowcount == 1


def as_summary(batch: Batch) -> dict[str, Any]:
    return {"id": batch.id, "office_code": batch.office_code, "reason": batch.reason,
            "selection": batch.label, "state": batch.state, "total": batch.total,
            "created_by": batch.created_by, "created_at": batch.created_at,
            "finished_at": batch.finished_at}
