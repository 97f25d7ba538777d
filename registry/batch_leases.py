"""Which worker drives which printer: one at a time, taken over only from a dead worker.

Settling a card after a crash compares the printer's card counter with the value stored
before the card was sent; that only works if no other program printed on the printer in
between. So a worker holds a lease on each of its printers, renews it with a heartbeat, and
checks it (by its token) in the same transaction that takes each card. A lease may be taken
over when its heartbeat is older than its time to live, or at once when its process is gone
from this host (the caller tells, see ``gone``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from .dialect import insert_for
from .errors import ConflictError
from .models import utcnow
from .models.batch import BatchPrinter

STOPPED = "stopped"


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int
    pid_started: str | None = None

    @property
    def label(self) -> str:
        return f"{self.host} pid {self.pid}"


class LeaseHeldError(ConflictError):
    def __init__(self, printer: str, holder: str, heartbeat_at: dt.datetime | None) -> None:
        seen = f", last heard {heartbeat_at:%Y-%m-%d %H:%M:%S} UTC" if heartbeat_at else ""
        super().__init__(f"printer {printer} is driven by the worker on {holder}{seen}; "
                         "stop that worker first, or wait for its lease to run out")
        self.holder = holder


class LeaseLostError(ConflictError):
    """Another worker took the printer over (this one was thought dead): stop printing."""


def acquire(session: Session, printer_id: int, printer_name: str, holder: Holder, *,
            ttl: dt.timedelta, gone: Callable[[str, int, str | None], bool],
            now: dt.datetime | None = None) -> str:
    """Take the lease of a printer and return its token; `LeaseHeldError` while a live worker
    holds it. ``gone(host, pid, pid_started)`` says whether a holder's process has ended."""
    now = now or utcnow()
    session.execute(insert_for(session, BatchPrinter).values(printer_id=printer_id, state=STOPPED,
                                                             updated_at=now)
                    .on_conflict_do_nothing(index_elements=[BatchPrinter.printer_id]))
    lease = session.get(BatchPrinter, printer_id, with_for_update=True, populate_existing=True)
    if lease.token is not None and not _expired(lease, now, ttl, gone):
        raise LeaseHeldError(printer_name, lease.holder or "?", lease.heartbeat_at)
    lease.token = secrets.token_hex(16)
    lease.holder, lease.host, lease.pid, lease.pid_started = (
        holder.label, holder.host, holder.pid, holder.pid_started)
    lease.acquired_at = lease.heartbeat_at = now
    lease.state, lease.detail, lease.item_id = "starting", None, None
    return lease.token


def _expired(lease: BatchPrinter, now: dt.datetime, ttl: dt.timedelta,
             gone: Callable[[str, int, str | None], bool]) -> bool:
    if lease.heartbeat_at is None or lease.heartbeat_at < now - ttl:
        return True
    return lease.host is not None and lease.pid is not None and gone(
        lease.host, lease.pid, lease.pid_started)


def heartbeat(session: Session, printer_id: int, token: str,
              now: dt.datetime | None = None) -> bool:
    """Renew the lease; False when it is no longer ours."""
    result = session.execute(
        update(BatchPrinter).where(BatchPrinter.printer_id == printer_id,
                                   BatchPrinter.token == token)
        .values(heartbeat_at=now or utcnow()).execution_options(synchronize_session=False))
    return result.rowcount == 1


_LEASES = BatchPrinter.__table__
_REPORT = (update(_LEASES)  # built once: it runs once per card
           .where(_LEASES.c.printer_id == bindparam("p_printer"),
                  _LEASES.c.token == bindparam("p_token"))
           .values(state=bindparam("p_state"), detail=bindparam("p_detail"),
                   item_id=bindparam("p_item"), heartbeat_at=bindparam("p_now")))


def report(session: Session, printer_id: int, token: str, state: str,
           detail: str | None = None, item_id: int | None = None) -> None:
    """Say what the printer is doing, and check the lease is still ours (`LeaseLostError`).

    Called in the transaction that takes a card, it fences a worker that was taken over."""
    result = session.execute(_REPORT, {
        "p_printer": printer_id, "p_token": token, "p_state": state,
        "p_detail": (detail or "")[:500] or None, "p_item": item_id, "p_now": utcnow()})
    if result.rowcount != 1:
        raise LeaseLostError(f"printer {printer_id}: another worker took it over")


def release(session: Session, printer_id: int, token: str, detail: str | None = None) -> None:
    session.execute(
        update(BatchPrinter).where(BatchPrinter.printer_id == printer_id,
                                   BatchPrinter.token == token)
        .values(token=None, state=STOPPED, detail=detail, item_id=None)
        .execution_options(synchronize_session=False))
