"""Batch reprint jobs: a selection of residents, one durable row per card, and the lease of
each printer a worker drives.

A card row goes pending -> printing -> printed, or back to pending when the printer failed
without printing it; ``held`` when only a person at the printer can tell whether it came
out; ``failed`` when it cannot be printed as it is; ``skipped`` (with the reason) for a
resident who cannot get a card; ``cancelled`` when the batch was cancelled first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

# Batch states: running <-> paused; done when no card is left to print; or cancelled.
RUNNING, PAUSED, CANCELLED, DONE = "running", "paused", "cancelled", "done"
BATCH_STATES = (RUNNING, PAUSED, CANCELLED, DONE)

# Card (item) states.
PENDING, PRINTING, HELD, PRINTED, FAILED, SKIPPED, ITEM_CANCELLED = (
    "pending", "printing", "held", "printed", "failed", "skipped", "cancelled")
ITEM_STATES = (PENDING, PRINTING, HELD, PRINTED, FAILED, SKIPPED, ITEM_CANCELLED)
ACTIVE = (PENDING, PRINTING, HELD)  # a card still to come out of this batch
FINAL = (PRINTED, FAILED, SKIPPED, ITEM_CANCELLED)

# The one-active-card index is partial; a query uses it only when it repeats this predicate
# literally (SQLite cannot match bound parameters against it).
ACTIVE_SQL = "state IN ('pending', 'printing', 'held')"
SPOILED_SQL = "spoiled > 0"


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Batch(Base):
    """A supervisor's request to print the cards of a selection, for one reason, from the blank
    stock of one office."""

    __tablename__ = "batches"
    __table_args__ = (CheckConstraint(f"state IN ({_in(BATCH_STATES)})", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    selection: Mapped[dict[str, Any]]  # how the residents were chosen (kind and values)
    label: Mapped[str] = mapped_column(String(200))  # the selection in words
    state: Mapped[str] = mapped_column(String(10), default=RUNNING)
    total: Mapped[int] = mapped_column(default=0)  # rows, skipped ones included
    skipped: Mapped[int] = mapped_column(default=0)  # of them, skipped when the batch was made
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[dt.datetime | None]


class BatchItem(Base):
    """One card of a batch. ``card_reason``, ``photo_id`` and ``signature_id`` are pinned when a
    worker takes the card, so every retry prints and records the same card."""

    __tablename__ = "batch_items"
    __table_args__ = (
        CheckConstraint(f"state IN ({_in(ITEM_STATES)})", name="state"),
        Index("ix_batch_items_batch_id_state_id", "batch_id", "state", "id"),
        Index("ix_batch_items_printer_id_state", "printer_id", "state"),
        Index("ix_batch_items_batch_id_finished_at", "batch_id", "finished_at"),  # the rate
        Index("ix_batch_items_spoiled", "batch_id", sqlite_where=text(SPOILED_SQL),
              postgresql_where=text(SPOILED_SQL)),
        # A resident is in at most one unfinished batch: two batches never print one card twice.
        Index("uq_batch_items_one_active", "resident_id", unique=True,
              sqlite_where=text(ACTIVE_SQL), postgresql_where=text(ACTIVE_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"))
    nik: Mapped[str] = mapped_column(String(32))  # as selected (a listed NIK may be unknown)
    state: Mapped[str] = mapped_column(String(10), default=PENDING)
    skip_code: Mapped[str | None] = mapped_column(String(30))
    message: Mapped[str | None] = mapped_column(String(500))  # why skipped, failed or held
    card_reason: Mapped[str | None] = mapped_column(String(20))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("resident_images.id"))
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("resident_images.id"))
    attempts: Mapped[int] = mapped_column(default=0)  # times a worker took it
    spoiled: Mapped[int] = mapped_column(default=0)  # blanks spoiled on it
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    claimed_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]

    batch: Mapped[Batch] = relationship()


class BatchPrinter(Base):
    """The worker driving a printer (its lease) and what the printer is doing.

    One worker at a time per printer: the printer's card counter settles a crashed card only if
    no one else printed on it meanwhile. A lease whose heartbeat is older than its time to live,
    or whose process is gone from this host, may be taken over.
    """

    __tablename__ = "batch_printers"

    printer_id: Mapped[int] = mapped_column(ForeignKey("printers.id"), primary_key=True)
    token: Mapped[str | None] = mapped_column(String(32))  # None: no worker holds it
    holder: Mapped[str | None] = mapped_column(String(120))  # "host pid N", for people
    host: Mapped[str | None] = mapped_column(String(80))
    pid: Mapped[int | None]
    pid_started: Mapped[str | None] = mapped_column(String(30))  # tells a reused pid apart
    acquired_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime | None]
    state: Mapped[str] = mapped_column(String(20), default="stopped")
    detail: Mapped[str | None] = mapped_column(String(500))
    item_id: Mapped[int | None]  # the card in hand
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
