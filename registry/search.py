"""Finding residents by NIK, KK or name, the way a counter clerk types them.

A name query is split into words; each word is folded to its spelling key (`registry.names`)
and matched as a prefix of any word of the name. The first query word drives an index range
scan over `resident_name_tokens` whose order *is* the ranking: whole-word matches first
(``SRI`` before ``SRIYANI``), then shorter prefixes, then alphabetically by full name. The other
words are checked per candidate through the (resident_id, token) index. Pages therefore cost
what they show, not what the query matches; the total is counted up to `COUNT_CAP`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from .models import Family, Resident, ResidentNameToken
from .names import prefix_upper_bound, word_key, words

COUNT_CAP = 1000
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchPage:
    items: list[Resident]
    total: int
    total_capped: bool  # True when more than COUNT_CAP residents match
    page: int
    per_page: int


def _area_bounds(area: str | None) -> tuple[str, str] | None:
    """Desa codes within ``area``, a region code of any level, as a range."""
    if not area:
        return None
    if area.count(".") == 3:
        return area, prefix_upper_bound(area)  # a desa code is a leaf: nothing longer exists
    prefix = area + "."
    return prefix, prefix_upper_bound(prefix)


def _name_query(keys: list[str], area: tuple[str, str] | None) -> Select:
    first = aliased(ResidentNameToken)
    lo, hi = keys[0], prefix_upper_bound(keys[0])
    conditions = [first.token >= lo, first.token < hi]
    if area:
        conditions += [first.desa_code >= area[0], first.desa_code < area[1]]
    # A resident whose name has two words matching the first key appears once, at the best one.
    earlier = aliased(ResidentNameToken)
    conditions.append(
        ~exists().where(
            earlier.resident_id == first.resident_id,
            earlier.token >= lo,
            earlier.token < first.token,
        )
    )
    for key in keys[1:]:
        other = aliased(ResidentNameToken)
        conditions.append(
            exists().where(
                other.resident_id == first.resident_id,
                other.token >= key,
                other.token < prefix_upper_bound(key),
            )
        )
    return select(first.resident_id).where(and_(*conditions)).order_by(
        first.token, first.name_key, first.resident_id
    )


def _count(session: Session, ids: Select) -> tuple[int, bool]:
    limited = ids.order_by(None).limit(COUNT_CAP + 1).subquery()
    n = session.scalar(select(func.count()).select_from(limited)) or 0
    return min(n, COUNT_CAP), n > COUNT_CAP


def _load(session: Session, ids: list[int]) -> list[Resident]:
    by_id = {r.id: r for r in session.scalars(select(Resident).where(Resident.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def search(
    session: Session,
    q: str = "",
    *,
    area: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchPage:
    """Residents matching ``q`` (a NIK or KK, a NIK prefix, or name words), ranked and paged.

    ``area`` (a provinsi, kabupaten, kecamatan or desa code) keeps only residents living there.
    """
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    offset = (page - 1) * per_page
    bounds = _area_bounds(area)
    text = q.strip()
    digits = text.replace(" ", "").replace(".", "")
    if digits.isdigit():
        ids = _number_query(digits, bounds)
    elif keys := [k for k in (word_key(w) for w in words(text)) if k]:
        ids = _name_query(keys, bounds)
    else:
        ids = select(Resident.id).order_by(Resident.id)
        if bounds:
            ids = ids.where(Resident.desa_code >= bounds[0], Resident.desa_code < bounds[1])
    found = list(session.scalars(ids.limit(per_page).offset(offset)))
    total, capped = _count(session, ids)
    return SearchPage(_load(session, found), total, capped, page, per_page)


def _number_query(digits: str, area: tuple[str, str] | None) -> Select:
    """A full NIK or KK number, or the start of a NIK."""
    if len(digits) == 16:
        family_ids = select(Family.id).where(Family.kk == digits)
        ids = select(Resident.id).where(
            (Resident.nik == digits) | Resident.family_id.in_(family_ids)
        ).order_by((Resident.nik != digits), Resident.id)
    else:
        ids = select(Resident.id).where(
            Resident.nik >= digits, Resident.nik < prefix_upper_bound(digits)
        ).order_by(Resident.nik)
    if area:
        ids = ids.where(Resident.desa_code >= area[0], Resident.desa_code < area[1])
    return ids
