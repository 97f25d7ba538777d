"""Who did what, when, to which record: one `AuditEntry` per write that matters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    key: str,
    changes: Mapping[str, Any] | None = None,
    note: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor.name,
        office_code=actor.office_code,
        action=action,
        entity=entity,
        entity_key=str(key),
        changes=dict(changes) if changes else None,
        note=note[:500] if note else None,
    )
    session.add(entry)
    return entry
