"""Reading the audit log: filtered, newest first, page by page or as one long export.

The log is append-only (database triggers refuse UPDATE and DELETE); this module only reads.
Pages are cut by id (keyset), so page 500 costs what page 1 costs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from .models import AuditEntry
from .regions import in_region

MAX_PAGE = 200


@dataclass(frozen=True)
class AuditFilter:
    """What an auditor narrows the log to; empty fields do not filter.

    ``action`` ending in ``.`` matches a family (``application.`` is every application step).
    ``office_scope``: only entries made by that office or offices under it;
    ``include_unscoped`` adds entries without an office (the console, the system).
    """

    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    key: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    office_scope: str | None = None
    include_unscoped: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        a = AuditEntry
        found: list[ColumnElement[bool]] = []
        if self.actor:
            found.append(a.actor == self.actor)
        if self.action:
            found.append(a.action.startswith(self.action) if self.action.endswith(".")
                         else a.action == self.action)
        if self.entity:
            found.append(a.entity == self.entity)
        if self.key:
            found.append(a.entity_key == self.key)
        if self.since:
            found.append(a.at >= self.since)
        if self.until:
            found.append(a.at < self.until)
        if self.office_scope:
            scoped = in_region(a.office_code, self.office_scope)
            found.append(or_(scoped, a.office_code.is_(None)) if self.include_unscoped
                         else scoped)
        return found


def page(session: Session, wanted: AuditFilter, *, before_id: int | None = None,
         limit: int = 50) -> list[AuditEntry]:
    """Up to ``limit`` entries older than ``before_id`` (None: the newest)."""
    query = select(AuditEntry).where(*wanted.conditions())
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    limit = max(1, min(limit, MAX_PAGE))
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


def export(session: Session, wanted: AuditFilter, batch: int = 1000) -> Iterator[AuditEntry]:
    """Every matching entry, newest first, read in batches (constant memory)."""
    before: int | None = None
    while True:
        rows = page(session, wanted, before_id=before, limit=min(batch, MAX_PAGE))
        if not rows:
            return
        yield from rows
        before = rows[-1].id


def count_since(session: Session, action: str, entity: str, key: str,
                since: dt.datetime) -> int:
    """How often ``action`` happened to one record since a moment (e.g. failed sign-ins
    from one address), through the (entity, entity_key) index."""
    a = AuditEntry
    return session.scalar(select(func.count()).select_from(a).where(
        a.entity == entity, a.entity_key == key, a.action == action, a.at >= since)) or 0


def for_record(session: Session, entity: str, key: str, limit: int = 50) -> list[AuditEntry]:
    """The history of one record, newest first."""
    return page(session, AuditFilter(entity=entity, key=key), limit=limit)
