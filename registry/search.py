"""Finding residents by NIK, KK or name, the way a counter clerk types them.

A name query is split into words and each word folded to its spelling key (`registry.names`),
so any spelling finds every spelling. Each name is indexed by its *phrases* (the name from
each word to the end), which makes the two kinds of match cheap:

- **in order** (``sri wah`` finds SRI WAHYUNI and TRI SRI WAHYUNINGSIH): one index range scan
  over the phrases starting with the query, already in rank order: a whole-word match before
  a longer word (``sri`` before ``sriyani``), then alphabetically;
- **any order** (``wah sri`` also finds SRI WAHYUNI): ranked after the in-order matches, found
  by scanning the phrases of the rarest query word and probing the others per resident. The
  scan is bounded (`SCAN_BUDGET`), so a query of very common words costs a bounded time and
  says its total is a lower bound.

Within a kecamatan or desa both read that kecamatan's phrases alone, through an index of the
same order per kecamatan. Pages cost what they show, not what the query matches; totals are
counted up to `COUNT_CAP`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    distinct,
    exists,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from .models import Family, Resident, ResidentNameToken
from .models.resident import kecamatan_of
from .names import prefix_upper_bound, word_key, words
from .regions import desa_range

COUNT_CAP = 1000
SCAN_BUDGET = 1000
MAX_PER_PAGE = 100

Bounds = tuple[str, str]
Params = dict[str, Any]
_TOKENS = ResidentNameToken.__table__


@dataclass(frozen=True)
class SearchPage:
    items: list[Resident]
    total: int
    total_capped: bool  # True when at least `total` residents match, maybe more
    page: int
    per_page: int


def _area_bounds(area: str | None) -> Bounds | None:
    return desa_range(area) if area else None


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


# The statements are built once per shape and take every value as a bound parameter: building
# them per search cost more than SQLite's own work. ``<name>_lo``/``<name>_hi`` bound a range.
# A statement that reads the first N phrases of a range orders them although any N would do:
# so PostgreSQL walks the index and stops, instead of reading the whole range (30,000 phrases
# for ``sukarno``) into a bitmap when its rows are not yet marked all-visible.

def _range(name: str, prefix: str) -> Params:
    return {f"{name}_lo": prefix, f"{name}_hi": prefix_upper_bound(prefix)}


def _starting(t, name: str) -> list[ColumnElement[bool]]:
    return [t.c.phrase >= bindparam(f"{name}_lo"), t.c.phrase < bindparam(f"{name}_hi")]


def _in_area(t, area: str | None) -> list[ColumnElement[bool]]:
    """The area test of a statement's shape (`_area_params`). A desa is a range, not
    ``desa_code = :desa``: SQLite would substitute an equality's value into the kecamatan
    expression, which then no longer matches its index."""
    within = [kecamatan_of(t.c.desa_code) == bindparam("kecamatan")] if area in (
        "kecamatan", "desa") else []
    if area in ("desa", "wide"):
        within += [t.c.desa_code >= bindparam("area_lo"), t.c.desa_code < bindparam("area_hi")]
    return within


def _first_of_resident(t, name: str) -> ColumnElement[bool]:
    """Keep a resident once, at its best phrase, when several start with the prefix."""
    earlier = _TOKENS.alias()
    return ~exists().where(earlier.c.resident_id == t.c.resident_id,
                           earlier.c.phrase >= bindparam(f"{name}_lo"),
                           earlier.c.phrase < t.c.phrase)


def _has_word(t, name: str) -> ColumnElement[bool]:
    """A probe of the resident's own phrases. ``OFFSET 0`` keeps it one: PostgreSQL would
    otherwise turn it into a join reading every phrase that starts with the word (70,000 for
    ``sup``) to answer for the 1,000 scanned."""
    other = _TOKENS.alias()
    return (select(literal_column("1"))
            .where(other.c.resident_id == t.c.resident_id, *_starting(other, name))
            .offset(0).exists())


def _paged(query: Select) -> Select:
    return query.limit(bindparam("limit", type_=Integer)).offset(
        bindparam("offset", type_=Integer))


def _counted(query: Select) -> Select:
    """How many rows ``query`` gives, reading at most ``:cap`` of them."""
    limited = query.order_by(None).limit(bindparam("cap", type_=Integer)).subquery()
    return select(func.count()).select_from(limited)


@cache
def _in_order(area: str | None, counted: bool) -> Select:
    """A page (or with ``counted`` the number) of the residents with a phrase starting with
    the query (``q``), best first."""
    t = _TOKENS.alias("t")
    query = (select(t.c.resident_id)
             .where(*_starting(t, "q"), *_in_area(t, area), _first_of_resident(t, "q"))
             .order_by(t.c.phrase, t.c.resident_id))
    return _counted(query) if counted else _paged(query)


@cache
def _in_order_window(area: str | None) -> Select:
    """The first ``:window`` in-order phrases: how many were read and of how many residents."""
    t = _TOKENS.alias("t")
    first = (select(t.c.resident_id).where(*_starting(t, "q"), *_in_area(t, area))
             .order_by(t.c.phrase).limit(bindparam("window", type_=Integer)).subquery())
    return select(func.count(), func.count(distinct(first.c.resident_id)))


def _count_in_order(session: Session, params: Params, area: str | None) -> int:
    """The in-order residents, counted up to `COUNT_CAP` + 1 without a probe per phrase: the
    distinct residents among the first phrases of the range decide it (the first `COUNT_CAP`
    + 1 phrases nearly always do), unless a run of residents with several matching phrases
    (``sri sri …``) leaves that undecided."""
    window = _in_order_window(area)
    for size in (COUNT_CAP + 1, 2 * (COUNT_CAP + 1)):
        read, residents = session.execute(window, {**params, "window": size}).one()
        if read < size or residents > COUNT_CAP:
            return residents
    return session.scalar(_in_order(area, counted=True),
                          {**params, "cap": COUNT_CAP + 1}) or 0


@cache
def _sizes(count: int, area: str | None) -> Select:
    """The phrases in the area starting with each of ``count`` words (``w0``…), each counted
    up to ``:budget``, in one statement."""
    sizes = []
    for i in range(count):
        t = _TOKENS.alias(f"w{i}")
        limited = (select(t.c.phrase).where(*_starting(t, f"w{i}"), *_in_area(t, area))
                   .order_by(t.c.phrase).limit(bindparam("budget", type_=Integer)).subquery())
        sizes.append(select(func.count()).select_from(limited).scalar_subquery())
    return select(*sizes)


@cache
def _any_order(others: int, area: str | None, counted: bool) -> Select:
    """A page (or with ``counted`` the number) of the residents among the first ``:scan``
    phrases in the area of the driving word (``d``) who have the other words (``o0``…)
    somewhere but are not in-order matches (``q``)."""
    s = _TOKENS.alias("s")
    scanned = (select(s.c.phrase, s.c.resident_id).where(*_starting(s, "d"), *_in_area(s, area))
               .order_by(s.c.phrase, s.c.resident_id)
               .limit(bindparam("scan", type_=Integer)).subquery("scanned"))
    # The other words first: most scanned phrases fail there, and SQLite tests in this order.
    query = (select(scanned.c.resident_id)
             .where(*[_has_word(scanned, f"o{i}") for i in range(others)],
                    ~_has_word(scanned, "q"), _first_of_resident(scanned, "d"))
             .order_by(scanned.c.phrase, scanned.c.resident_id))
    return _counted(query) if counted else _paged(query)


def _driver(session: Session, keys: list[str], area: str | None, params: Params
            ) -> tuple[str, bool]:
    """The rarest word, whose phrases the any-order scan reads; and whether it has more than
    `SCAN_BUDGET` of them, which makes the any-order total a lower bound."""
    unique = list(dict.fromkeys(keys))
    params = {**params, "budget": SCAN_BUDGET + 1}
    for i, key in enumerate(unique):
        params.update(_range(f"w{i}", key))
    sizes = session.execute(_sizes(len(unique), area), params).one()
    size, driver = min(zip(sizes, unique, strict=True), key=lambda s: s[0])
    return driver, size > SCAN_BUDGET


def _any_order_matches(session: Session, keys: list[str], area: str | None, params: Params,
                       skip: int, wanted: int, cap: int) -> tuple[list[int], int, bool]:
    """``wanted`` any-order matches after ``skip``; how many there are, counted up to
    ``cap`` + 1; and whether the scan was cut. A page that needs them reads them all in one
    scan (there are at most `SCAN_BUDGET`), which gives their number too."""
    driver, cut = _driver(session, keys, area, params)
    others = list(dict.fromkeys(k for k in keys if k != driver))
    params = {**params, **_range("d", driver), "scan": SCAN_BUDGET}
    for i, key in enumerate(others):
        params.update(_range(f"o{i}", key))
    if not wanted:
        return [], session.scalar(_any_order(len(others), area, counted=True),
                                  {**params, "cap": cap + 1}) or 0, cut
    ids = list(session.scalars(_any_order(len(others), area, counted=False),
                               {**params, "limit": max(cap + 1, skip + wanted), "offset": 0}))
    return ids[skip:skip + wanted], len(ids), cut


_LOAD = select(Resident).where(Resident.id.in_(bindparam("ids", expanding=True)))


def _load(session: Session, ids: list[int]) -> list[Resident]:
    by_id = {r.id: r for r in session.scalars(_LOAD, {"ids": ids})} if ids else {}
    return [by_id[i] for i in ids if i in by_id]


def _capped_count(session: Session, query: Select, cap: int = COUNT_CAP) -> int:
    limited = query.order_by(None).limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(limited)) or 0


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
    keys = [k for k in (word_key(w) for w in words(text)) if k]
    if digits.isdigit() or not keys:
        ids = _number_query(digits, bounds) if digits.isdigit() else _everyone(bounds)
        found = list(session.scalars(ids.limit(per_page).offset(offset)))
        total = _capped_count(session, ids)
        return SearchPage(_load(session, found), min(total, COUNT_CAP), total > COUNT_CAP,
                          page, per_page)
    shape, params = _area_params(area)
    params.update(_range("q", " ".join(keys)))
    found = list(session.scalars(_in_order(shape, counted=False),
                                 {**params, "limit": per_page, "offset": offset}))
    total = _count_in_order(session, params, shape)
    capped = total > COUNT_CAP
    if len(keys) > 1 and not capped:
        more, extra, cut = _any_order_matches(
            session, keys, shape, params, skip=max(offset - total, 0),
            wanted=per_page - len(found), cap=COUNT_CAP - total)
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
