"""Who did what, when, to which record: one `AuditEntry` per write that matters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from .models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """The person or process a write is done for."""

    name: str
    office_code: str | None = None
    user_id: int | None = None
    role: str | None = None


SYSTEM = Actor("system")


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs."""
    return {
        k: [jsonable(old.get(k)), jsonable(new.get(k))]
        for k in new
        if old.get(k) != new.get(k)
    }


def created(values: Mapping[str, Any], fields: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """The changes of a newly created record: every field from nothing to its value."""
    keys = fields if fields is not None else values.keys()
    return {k: [None, jsonable(values[k])] for k in keys if values.get(k) is not None}


def _row(actor: Actor, action: str, entity: str, key: str, changes: Mapping[str, Any] | None,
         note: str | None) -> dict[str, Any]:
    return {"actor": actor.name, "office_code": actor.office_code, "action": action,
            "entity": entity, "entity_key": str(key),
            "changes": dict(changes) if changes else None,
            "note": note[:500] if note else None}


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    key: str,
    changes: Mapping[str, Any] | None = None,
    note: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(**_row(actor, action, entity, key, changes, note))
    session.add(entry)
    return entry


_INSERT = insert(AuditEntry.__table__)
_GATHERED = "audit.gathered"  # the session.info key of the entries `gathered` holds back


def write(session: Session, actor: Actor, action: str, entity: str, key: str,
          changes: Mapping[str, Any] | None = None, note: str | None = None) -> None:
    """`record` as one INSERT at once, with no object to flush: for the per-card path of the
    batch worker, which never reads its entries back. Within `gathered`, held back until the
    block ends."""
    row = _row(actor, action, entity, key, changes, note)
    held = session.info.get(_GATHERED)
    if held is not None:
        held.append(row)
    else:
        session.execute(_INSERT, row)


@contextmanager
def gathered(session: Session) -> Iterator[None]:
    """The entries `write` makes within the block go in together, in order, as one statement
    when it ends (one round trip instead of one each: recording a printed card writes three).
    On an exception they are dropped with the rest of the transaction."""
    if _GATHERED in session.info:  # an outer block writes them
        yield
        return
    held: list[dict[str, Any]] = []
    session.info[_GATHERED] = held
    try:
        yield
    finally:
        del session.info[_GATHERED]
    if held:
        session.execute(_INSERT, held)
