"""Finding residents by NIK, KK or name, the way a counter clerk types them.

A name query is split into words and each word folded to its spelling key (`registry.names`),
so any spelling finds every spelling; the last word may be partly typed, and stands for the
start of every key it may begin (``SO``: ``so`` and ``su``, for SOEKARNO). Each name is indexed
by its *phrases* (the name from each word to the end), which makes two kinds of match cheap:

- **in order** (``sri wah`` finds SRI WAHYUNI and TRI SRI WAHYUNINGSIH): the phrases starting
  with the query (the earlier words whole, the last as typed so far), one index range scan
  per key the last word may begin;
- **other orders** (``wah sri`` also finds SRI WAHYUNI): found by scanning the phrases of the
  rarest query word and probing the others per resident. The scan is bounded (`SCAN_BUDGET`),
  so a query of very common words costs a bounded time and says its total is a lower bound.

The ranking: the in-order matches first, the name *starting* with the words before a later
word, and within each the spelling as typed (``SOEPARDI``) before the other spelling (old or
new: ``SUPARDI``); then whole words before longer ones, alphabetically, then registration
order. It is worked out for the residents of the first `RANK_WINDOW` in-order phrases (one
lookup of each resident's name: the key cannot say how a name was spelled); a query matching
more goes on in key order after them. Then the matches in another order, found by the scan:
those with the words in the typed order (``sug mar``: SUGIYEM MARJATI NUR) before the others
(MARYATI SUGIYEM), each by its phrase of the scanned word. A typed DJ is new J, never Y: it
finds only names with a J (``DJ``: DJOKO and JOKO, not YANTO).

Within a kecamatan or desa every statement reads that kecamatan's phrases alone, through an
index of the same order per kecamatan. Pages cost what they show, not what the query matches;
totals are counted up to `COUNT_CAP`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from . import name_orders, name_rank
from .models import Family, Resident
from .name_phrases import NameQuery, Params, name_query
from .names import prefix_upper_bound
from .regions import desa_range

COUNT_CAP = 1000
SCAN_BUDGET = 1000
MAX_PER_PAGE = 100
RANK_WINDOW = 100

Bounds = tuple[str, str]


@dataclass(frozen=True)
class SearchPage:
    items: list[Resident]
    total: int
    total_capped: bool  # True when at least `total` residents match, maybe more
    page: int
    per_page: int


def _area_params(area: str | None) -> tuple[str | None, Params]:
    """How a name search narrows to ``area`` (the statement's shape) and the values it binds.

    A kecamatan or desa reads only its kecamatan's phrases through their own index; a wider
    area (a kabupaten office's) holds most of the registry, so it is tested per phrase."""
    if not area:
        return None, {}
    level = area.count(".")
    if level == 2:
        return "kecamatan", {"kecamatan": area}
    low, high = desa_range(area)
    if level == 3:
        return "desa", {"kecamatan": area.rsplit(".", 1)[0], "area_lo": low, "area_hi": high}
    return "wide", {"area_lo": low, "area_hi": high}


_LOAD = select(Resident).where(Resident.id.in_(bindparam("ids", expanding=True)))


def _load(session: Session, ids: list[int]) -> list[Resident]:
    by_id = {r.id: r for r in session.scalars(_LOAD, {"ids": ids})} if ids else {}
    return [by_id[i] for i in ids if i in by_id]


def _capped_count(session: Session, query: Select, cap: int = COUNT_CAP) -> int:
    limited = query.order_by(None).limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(limited)) or 0


def searchable(q: str) -> bool:
    """Whether ``q`` says what to look for: a number, or a word with a letter. Anything else
    (``%``, ``_``, an emoji) finds nobody: its characters are no wildcards."""
    digits = q.strip().replace(" ", "").replace(".", "")
    return digits.isdigit() or name_query(q) is not None


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
    An empty ``q`` lists the area's residents; a ``q`` with nothing to search for
    (`searchable`) lists nobody.
    """
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    offset = (page - 1) * per_page
    text = q.strip()
    digits = text.replace(" ", "").replace(".", "")
    query = None if digits.isdigit() else name_query(text)
    if query is None:
        if text and not digits.isdigit():
            return SearchPage([], 0, False, page, per_page)
        bounds = desa_range(area) if area else None
        ids = _number_query(digits, bounds) if text else _everyone(bounds)
        found = list(session.scalars(ids.limit(per_page).offset(offset)))
        total = _capped_count(session, ids)
        return SearchPage(_load(session, found), min(total, COUNT_CAP), total > COUNT_CAP,
                          page, per_page)
    shape, params = _area_params(area)
    query, params = name_rank.in_order_params(session, query, shape, params)
    found, in_window = name_rank.ranked_window(session, query, shape, params, size=RANK_WINDOW,
                                               offset=offset, limit=per_page)
    total, capped, complete = name_rank.count_in_order(session, query, shape, params, COUNT_CAP,
                                                       within=RANK_WINDOW)
    if len(found) < per_page and not complete:
        found += name_rank.in_key_order(session, query, shape, params,
                                        start=max(offset, in_window), count=per_page - len(found))
    if len(query.keys) > 1 and not capped:
        more, extra, cut = name_orders.other_orders(
            session, query, shape, params, skip=max(offset - total, 0),
            wanted=per_page - len(found), budget=SCAN_BUDGET)
        found += more
        total += extra
        capped = cut or total > COUNT_CAP
    return SearchPage(_load(session, found), min(total, COUNT_CAP), capped, page, per_page)


def _everyone(bounds: Bounds | None) -> Select:
    ids = select(Resident.id).order_by(Resident.id)
    if bounds:
        ids = ids.where(Resident.desa_code >= bounds[0], Resident.desa_code < bounds[1])
    return ids


def _number_query(digits: str, bounds: Bounds | None) -> Select:
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
    if bounds:
        ids = ids.where(Resident.desa_code >= bounds[0], Resident.desa_code < bounds[1])
    return ids


__all__ = ["COUNT_CAP", "MAX_PER_PAGE", "RANK_WINDOW", "SCAN_BUDGET", "NameQuery", "SearchPage",
           "search", "searchable"]
