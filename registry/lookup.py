"""Finding residents by number (a NIK, the start of a NIK, a KK) within an office's area.

`registry.search.search` answers these too; this module exists for one case it makes slow on
SQLite: a NIK prefix within an area that holds most of the registry (a kabupaten office).
There the planner walks the desa-code index over every resident, then sorts; a prefix search
took seconds on a million residents. Here a kabupaten's or province's area is tested on each
candidate through an expression no index serves, so the NIK index drives the query in its
own order and a page costs what it shows; a kecamatan's or desa's area stays an index range
(it is small). Results, order and totals are those of `registry.search.search`.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from .models import Family, Resident
from .names import prefix_upper_bound
from .search import COUNT_CAP, MAX_PER_PAGE, SearchPage


def _in_area(area: str | None) -> list[ColumnElement[bool]]:
    if not area:
        return []
    if area.count(".") == 3:
        return [Resident.desa_code == area]
    prefix = area + "."
    if area.count(".") == 2:  # a kecamatan: its own index range is small, let it drive
        return [Resident.desa_code >= prefix, Resident.desa_code < prefix_upper_bound(prefix)]
    return [func.substr(Resident.desa_code, 1, len(prefix)) == prefix]


def _query(digits: str, area: str | None) -> Select:
    if len(digits) == 16:
        families = select(Family.id).where(Family.kk == digits)
        found = (select(Resident.id)
                 .where((Resident.nik == digits) | Resident.family_id.in_(families))
                 .order_by(Resident.nik != digits, Resident.id))
    else:
        found = (select(Resident.id)
                 .where(Resident.nik >= digits, Resident.nik < prefix_upper_bound(digits))
                 .order_by(Resident.nik))
    return found.where(*_in_area(area))


def by_number(session: Session, digits: str, *, area: str | None = None, page: int = 1,
              per_page: int = 20) -> SearchPage:
    """Residents whose NIK starts with ``digits``, or with that NIK or KK (16 digits)."""
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    query = _query(digits, area)
    ids = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    counted = query.order_by(None).limit(COUNT_CAP + 1).subquery()
    total = session.scalar(select(func.count()).select_from(counted)) or 0
    by_id = {r.id: r for r in session.scalars(select(Resident).where(Resident.id.in_(ids)))}
    return SearchPage([by_id[i] for i in ids if i in by_id], min(total, COUNT_CAP),
                      total > COUNT_CAP, page, per_page)
