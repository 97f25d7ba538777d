"""The statements of a name search (`registry.search`) for names holding the words in the
typed order: ranked, counted, paged.

Statements are built once per shape and take every value as a bound parameter: building them
per search cost more than SQLite's own work. A statement that reads the first N phrases of a
range orders them although any N would do: so PostgreSQL walks the index and stops, instead
of reading the whole range (30,000 phrases for ``sukarno``) into a bitmap when its rows are
not yet marked all-visible.

Ranking needs the names themselves (the key cannot say how a name was spelled, nor whether a
phrase starts the name): the first `registry.search.RANK_WINDOW` in-order phrases are joined
to their residents, one primary-key lookup each, and ranked by the database (`_tier`); the
phrases after them stay in key order, read as before. A typed DJ looks at each name it reads
(`registry.name_phrases.names_with_j`), so its reads are bounded too (`DJ_COUNT_READ`,
`DJ_READ_LIMIT`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from heapq import merge
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    case,
    distinct,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from .name_phrases import (
    RESIDENTS,
    TOKENS,
    NameQuery,
    Params,
    first_of_resident,
    in_area,
    names_with_j,
    range_params,
    starting,
)


@cache
def _nonempty(area: str | None, ranges: int) -> Select:
    t = TOKENS.alias("t")
    return select(*(select(literal_column("1")).where(*starting(t, f"q{i}"), *in_area(t, area))
                    .exists() for i in range(ranges)))


def in_order_params(session: Session, query: NameQuery, area: str | None,
                    params: Params) -> tuple[NameQuery, Params]:
    """The in-order ranges bound as ``q0``, ``q1``…; of two, only those holding a phrase in the
    area (a whole word ending in o, d, t or c stands for a second key, ``sukarno`` for
    ``sukarnu…``, which nearly never holds one: asking is cheaper than reading it)."""
    ranges = {f"q{i}": prefix for i, prefix in enumerate(query.in_order)}
    for name, prefix in ranges.items():
        params = {**params, **range_params(name, prefix)}
    if len(ranges) > 1:
        held = session.execute(_nonempty(area, len(ranges)), params).one()
        kept = tuple(p for p, there in zip(query.in_order, held, strict=True) if there)
        query = replace(query, in_order=kept or query.in_order[:1])
        for i, prefix in enumerate(query.in_order):
            params.update(range_params(f"q{i}", prefix))
    return query, params


def _paged(query: Select) -> Select:
    return query.limit(bindparam("limit", type_=Integer)).offset(
        bindparam("offset", type_=Integer))


def _counted(query: Select) -> Select:
    """How many rows ``query`` gives, reading at most ``:cap`` of them."""
    limited = query.order_by(None).limit(bindparam("cap", type_=Integer)).subquery()
    return select(func.count()).select_from(limited)


def _union(parts: list[Select]) -> Select:
    """The rows of each part (each ordered and limited on its own)."""
    if len(parts) == 1:
        return parts[0]
    subqueries = [p.subquery() for p in parts]
    return union_all(*(select(*s.c) for s in subqueries))  # type: ignore[return-value]


@cache
def _window(area: str | None, ranges: int, dj: bool) -> Select:
    """The first ``:window`` phrases (and residents) of each in-order range (``q0``, ``q1``…).
    With ``dj`` the names without a J are left out of those phrases afterwards
    (`names_with_j`): the phrases read stay bounded however many are left out."""
    parts = []
    for i in range(ranges):
        t = TOKENS.alias(f"t{i}")
        first = (select(literal_column(str(i)).label("part"), t.c.phrase, t.c.resident_id)
                 .where(*starting(t, f"q{i}"), *in_area(t, area))
                 .order_by(t.c.phrase, t.c.resident_id)
                 .limit(bindparam("window", type_=Integer)))
        if dj:
            f, r = first.subquery(f"f{i}"), RESIDENTS.alias(f"r{i}")
            first = (select(*f.c).join_from(f, r, r.c.id == f.c.resident_id)
                     .where(names_with_j(r)).order_by(f.c.phrase, f.c.resident_id))
        parts.append(first)
    return _union(parts)


@cache
def _first(area: str | None, ranges: int) -> Select:
    """The first ``:window`` phrases of the in-order ranges together, in key order."""
    window = _window(area, ranges, False)
    if ranges == 1:
        return window
    merged = window.subquery()
    return (select(*merged.c).order_by(merged.c.phrase, merged.c.resident_id)
            .limit(bindparam("window", type_=Integer)))


def exact_start(query: NameQuery) -> str:
    """The words as typed, as a stored name holds them (upper case, single-spaced; see
    `registry.names.clean_name`)."""
    return " ".join(query.typed).upper()


def _tier(phrase: Any, residents: Any) -> ColumnElement[str]:
    """The rank of an in-order phrase, best first: ``0`` the name starts with the words
    exactly as typed (``:exact``), ``1`` the name starts with them in another spelling, ``2``
    they come later in the name, as typed (``:exact_later``), ``3`` later, another spelling."""
    start = phrase == residents.c.name_key
    return case((start & residents.c.nama.like(bindparam("exact")), "0"), (start, "1"),
                (residents.c.nama.like(bindparam("exact_later")), "2"), else_="3")


@cache
def _ranked(area: str | None, ranges: int, dj: bool) -> Select:
    """A page (``:limit``, ``:offset``) of the residents of the first ``:window`` in-order
    phrases, each at its best `_tier` and phrase, and how many residents those phrases hold.
    One lookup of the resident per phrase, and the ranking done by the database."""
    first = _first(area, ranges).subquery("first")
    r = RESIDENTS.alias("r")
    key = func.min(_tier(first.c.phrase, r) + first.c.phrase)
    return (select(first.c.resident_id, func.count().over().label("residents"))
            .join_from(first, r, r.c.id == first.c.resident_id)
            .where(*([names_with_j(r)] if dj else []))
            .group_by(first.c.resident_id)
            .order_by(key, first.c.resident_id)
            .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))


@cache
def _window_residents(area: str | None, ranges: int, dj: bool) -> Select:
    first = _first(area, ranges).subquery("first")
    if not dj:
        return select(func.count(distinct(first.c.resident_id)))
    r = RESIDENTS.alias("r")
    return (select(func.count(distinct(first.c.resident_id)))
            .join_from(first, r, r.c.id == first.c.resident_id).where(names_with_j(r)))


def ranked_window(session: Session, query: NameQuery, area: str | None, params: Params, *,
                  size: int, offset: int, limit: int) -> tuple[list[int], int]:
    """Ranks ``offset`` to ``offset + limit`` of the residents of the first ``size``
    in-order phrases (`_tier`, then the phrase, then the resident), and how many residents
    those phrases hold."""
    exact = exact_start(query)
    params = {**params, "window": size, "exact": f"{exact}%", "exact_later": f"% {exact}%"}
    ranges = len(query.in_order)
    rows = session.execute(_ranked(area, ranges, query.dj),
                           {**params, "limit": limit, "offset": offset}).all()
    if rows:
        return [r.resident_id for r in rows], rows[0].residents
    return [], session.scalar(_window_residents(area, ranges, query.dj), params) or 0


def _merged(rows: list[Any], ranges: int, size: int) -> tuple[list[Any], bool]:
    """The first ``size`` rows of the ranges' rows in key order, and whether they are all
    the matches (no range was cut at ``size``)."""
    if ranges == 1:
        return rows, len(rows) < size
    parts: list[list[Any]] = [[] for _ in range(ranges)]
    for row in rows:
        parts[row.part].append(row)
    complete = all(len(p) < size for p in parts)
    ordered = list(merge(*parts, key=lambda r: (r.phrase, r.resident_id)))
    return ordered if complete else ordered[:size], complete


def _read_all(session: Session, area: str | None, ranges: int, params: Params,
              size: int) -> bool:
    """Whether the first ``size`` phrases of each in-order range are all of its phrases."""
    *read, _ = session.execute(_count_window(area, ranges, False), {**params, "window": size}
                               ).one()
    return all(n < size for n in read)


@cache
def _in_order(area: str | None) -> Select:
    """A page of the residents with a phrase in the one in-order range (``q0``), in key order,
    each at its first phrase."""
    t = TOKENS.alias("t")
    return _paged(select(t.c.resident_id)
                  .where(*starting(t, "q0"), *in_area(t, area), first_of_resident(t, "q0"))
                  .order_by(t.c.phrase, t.c.resident_id))


# A query with a typed DJ looks at each name it reads (`names_with_j`): its total is counted
# among the first `DJ_COUNT_READ` phrases of each range (a lower bound when there are more),
# and its later pages read at most `DJ_READ_LIMIT` phrases.
DJ_COUNT_READ = 200
DJ_READ_LIMIT = 16_000


def in_key_order(session: Session, query: NameQuery, area: str | None, params: Params, *,
                 start: int, count: int) -> list[int]:
    """In-order residents ``start`` to ``start + count`` in key order (each at its first
    phrase): past the ranked window, the order of every page."""
    if len(query.in_order) == 1 and not query.dj:
        return list(session.scalars(_in_order(area),
                                    {**params, "limit": count, "offset": start}))
    ranges, size = len(query.in_order), 2 * (start + count) + 16
    while True:  # several ranges, or names tested one by one: merged here, read ever further
        rows = session.execute(_window(area, ranges, query.dj), {**params, "window": size}).all()
        ordered, complete = _merged(rows, ranges, size)
        if query.dj:
            complete = size >= DJ_READ_LIMIT or _read_all(session, area, ranges, params, size)
        ids = list(dict.fromkeys(r.resident_id for r in ordered))
        if complete or len(ids) >= start + count:
            return ids[start:start + count]
        size *= 4


def count_in_order(session: Session, query: NameQuery, area: str | None, params: Params,
                   cap: int, within: int) -> tuple[int, bool, bool]:
    """The in-order residents, counted up to ``cap`` + 1 without a probe per phrase: the
    distinct residents among the first phrases of the ranges decide it (the first ``cap`` + 1
    phrases nearly always do), unless a run of residents with several matching phrases
    (``sri sri …``) leaves that undecided. Returns the count, whether it is a lower bound, and
    whether the ranges hold at most ``within`` phrases (then the ranked window is all). With
    a typed DJ only the first `DJ_COUNT_READ` phrases are read (each name is looked at): a
    range with more is counted as a lower bound."""
    ranges = len(query.in_order)
    window = _count_window(area, ranges, query.dj)
    sizes = (min(cap + 1, DJ_COUNT_READ),) if query.dj else (cap + 1, 2 * (cap + 1),
                                                              16 * (cap + 1))
    for size in sizes:
        *read, residents = session.execute(window, {**params, "window": size}).one()
        all_read = all(n < size for n in read)
        if all_read or residents > cap:
            return residents, residents > cap, all_read and sum(read) <= within
        if query.dj:
            return residents, True, False
        if ranges == 1 and size == 2 * (cap + 1):
            exact = _counted(_in_order(area).limit(None).offset(None))
            residents = session.scalar(exact, {**params, "cap": cap + 1}) or 0
            return residents, residents > cap, False
    return residents, True, False


@cache
def _count_window(area: str | None, ranges: int, dj: bool) -> Select:
    """How many of the first ``:window`` phrases of each in-order range were read, and of how
    many residents (with ``dj``: whose name has a J)."""
    first = _window(area, ranges, False).subquery()
    if not dj:
        residents = func.count(distinct(first.c.resident_id))
        return select(*(func.count(case((first.c.part == i, 1))) for i in range(ranges)),
                      residents)
    r = RESIDENTS.alias("r")
    residents = func.count(distinct(case((names_with_j(r), first.c.resident_id))))
    return (select(*(func.count(case((first.c.part == i, 1))) for i in range(ranges)),
                   residents).join_from(first, r, r.c.id == first.c.resident_id))


