"""What a batch looks like now, the same for the CLI, the API and the web page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from registry import batch_progress, batches
from registry.models import utcnow
from registry.models.batch import FAILED, HELD, Batch

from .settings import settings

FAILURES_SHOWN = 50


def live_after() -> dt.datetime:
    """Workers heard from since then are alive."""
    return utcnow() - dt.timedelta(seconds=settings().lease_seconds)


def status(session: Session, batch: Batch, *, items_page: int | None = None, per_page: int = 100,
           states: tuple[str, ...] = ()) -> dict[str, Any]:
    """Summary, progress, printers and the cards to act on; with ``items_page``, one page of
    the per-card outcomes as well."""
    progress = batch_progress.progress(session, batch)
    failures, failure_count = batch_progress.items(session, batch.id, states=(HELD, FAILED),
                                                   per_page=FAILURES_SHOWN)
    out = {**batches.as_summary(batch), "progress": progress.as_dict(),
           "printers": batch_progress.printers(session, live_after(), batch.id),
           "failures": failures, "failure_count": failure_count}
    if items_page is not None:
        page, total = batch_progress.items(session, batch.id, states=states, page=items_page,
                                           per_page=per_page)
        out["items"] = {"items": page, "total": total, "page": items_page, "per_page": per_page}
    return out


def one_line(data: dict[str, Any]) -> str:
    """``412/1000 done (400 printed, 3 failed, 9 skipped) · 35.0/min · 16:47 left``, or
    ``· waiting for blank cards at office 33.14 (none left)`` instead of the time left."""
    p = data["progress"]
    counts = p["counts"]
    parts = [f"{n} {state}" for state, n in counts.items()
             if n and state not in ("pending",)]
    line = f"{p['done']}/{p['total']} done ({', '.join(parts) or 'nothing yet'})"
    if p["per_minute"]:
        line += f" · {p['per_minute']:.1f}/min"
    if p["seconds_left"]:
        minutes, seconds = divmod(int(p["seconds_left"]), 60)
        line += f" · {minutes}:{seconds:02d} left"
    line += stock_note(data)
    if p["spoiled"]:
        line += f" · {p['spoiled']} blank(s) spoiled"
    return f"batch {data['id']} {data['state']}: {line}"


def stock_note(data: dict[str, Any]) -> str:
    """Whether the blanks hold up: cards waiting for them, or fewer left than cards to take."""
    p, office = data["progress"], data["office_code"]
    if p["waiting_for_stock"]:
        return f" · waiting for blank cards at office {office} (none left)"
    pending, available = p["counts"]["pending"], p["blanks_available"]
    if available is not None and available < pending:
        return f" · only {available} blank card(s) left at office {office} for {pending} cards"
    return ""
