"""Export of residents in the import layout, streamed so a million rows need little memory."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import TextIO

from sqlalchemy import select

from .csv_layout import HEADER, row_of
from .db import Database
from .models import Family, Resident
from .regions import in_region


def export_csv(
    db: Database,
    out: TextIO,
    *,
    area: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write residents (of ``area``, a region code prefix, if given) to ``out``; returns rows."""
    writer = csv.writer(out)
    writer.writerow(HEADER)
    query = (
        select(Resident, Family.kk)
        .join(Family, Resident.family_id == Family.id)
        .order_by(Resident.id)
        .execution_options(yield_per=2_000)
    )
    if area:
        query = query.where(in_region(Resident.desa_code, area))
    count = 0
    with db.read() as session:
        for resident, kk in session.execute(query):
            writer.writerow(row_of(resident, kk))
            count += 1
            if progress and count % 2_000 == 0:
                progress(2_000)
    if progress:
        progress(count % 2_000)
    return count
