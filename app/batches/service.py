"""What a clerk does about a batch card the printer could not account for, and settling a
printer whose worker is gone for good."""

from __future__ import annotations

import datetime as dt

from registry import batch_leases, batch_queue, printers
from registry.audit import Actor
from registry.db import Database
from registry.errors import ConflictError, NotFoundError
from registry.models.batch import HELD, BatchItem
from registry.models.issuance import ATTEMPT_HELD

from .. import issuance
from . import host
from .recovery import Recovered, recover


def resolve(database: Database, actor: Actor, item_id: int, finding: str) -> issuance.Outcome:
    """A clerk looked at the printer: the held card came out (``printed``), spoiled a blank
    (``spoiled``) or never left the feeder (``untouched``); the last two queue it again."""
    if finding not in issuance.HELD_FINDINGS:
        raise ValueError(f"finding must be one of {issuance.HELD_FINDINGS}")
    with database.read() as session:
        item = session.get(BatchItem, item_id)
        if item is None:
            raise NotFoundError("batch card", str(item_id))
        attempt = batch_queue.last_attempt(session, item_id)
        if item.state != HELD or attempt is None or attempt.state != ATTEMPT_HELD:
            raise ConflictError(f"batch card {item_id} is {item.state}, not held for a clerk")
        attempt_id = attempt.id
    return issuance.resolve_held(database, actor, attempt_id, finding)


def settle_printer(database: Database, actor: Actor, printer_name: str,
                   ttl: dt.timedelta) -> Recovered:
    """Settle the batch cards left open on a printer, printing nothing (its worker stopped for
    good): `LeaseHeldError` while a live worker drives it, since that worker does it itself."""
    with database.write() as session:
        printer_id = printers.get(session, printer_name).id
        token = batch_leases.acquire(session, printer_id, printer_name, host.this_process(),
                                     ttl=ttl, gone=host.gone)
    try:
        return recover(database, actor, printer_id, printer_ready=True)
    finally:
        with database.write() as session:
            batch_leases.release(session, printer_id, token, "settled by hand")
