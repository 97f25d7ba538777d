"""The statements of a name search (`registry.search`).

Statements are built once per shape and take every value as a bound parameter: building them
per search cost more than SQLite's own work. ``<name>_lo``/``<name>_hi`` bound a key range. A
statement that reads the first N phrases of a range orders them although any N would do: so
PostgreSQL walks the index and stops, instead of reading the whole range (30,000 phrases for
``sukarno``) into a bitmap when its rows are not yet marked all-visible.

Ranking needs the names themselves (the key cannot say how a name was spelled, nor whether a
phrase starts the name): the first `registry.search.RANK_WINDOW` in-order phrases are joined
to their residents, one primary-key lookup each, and ranked by the database (`_tier`); the
phrases after them stay in key order, read as before. A typed DJ looks at each name it reads
(`_names_with_j`), so its reads are bounded too (`DJ_COUNT_READ`, `DJ_READ_LIMIT`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from heapq import merge
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    distinct,
    exists,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from .models import Resident, ResidentNameToken
from .models.resident import kecamatan_of
from .names import prefix_keys, prefix_upper_bound, word_key, words

Params = dict[str, Any]
_TOKENS = ResidentNameToken.__table__
_RESIDENTS = Resident.__table__


@dataclass(frozen=True)
class NameQuery:
    """Name words as typed: ``typed`` as `registry.names.words` gives them, ``keys`` their
    spelling keys, ``last`` the key prefixes the last (partly typed) word may start, and
    ``dj``: a typed word spells DJ, which is new J, never Y (see `_names_with_j`)."""

    typed: tuple[str, ...]
    keys: tuple[str, ...]
    last: tuple[str, ...]
    dj: bool
    in_order: tuple[str, ...] = ()  # the in-order phrases' prefixes, one per key of the last word

    def __post_init__(self) -> None:
        if not self.in_order:
            head = " ".join(self.keys[:-1])
            object.__setattr__(self, "in_order", tuple(f"{head} {p}" if head else p
                                                       for p in self.last))

    def word_prefixes(self) -> list[tuple[str, ...]]:
        """Each distinct word as the key prefixes it stands for (the last word's may be two)."""
        return list(dict.fromkeys([*((k,) for k in self.keys[:-1]), self.last]))


def name_query(text: str) -> NameQuery | None:
    typed = tuple(words(text))
    if not typed:
        return None
    return NameQuery(typed, tuple(word_key(w) for w in typed), tuple(prefix_keys(typed[-1])),
                     any("dj" in w for w in typed))


@cache
def _nonempty(area: str | None, ranges: int) -> Select:
    t = _TOKENS.alias("t")
    return select(*(select(literal_column("1")).where(*_starting(t, f"q{i}"), *_in_area(t, area))
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


def range_params(name: str, prefix: str) -> Params:
    return {f"{name}_lo": prefix, f"{name}_hi": prefix_upper_bound(prefix)}


def _starting(t: Any, name: str) -> list[ColumnElement[bool]]:
    return [t.c.phrase >= bindparam(f"{name}_lo"), t.c.phrase < bindparam(f"{name}_hi")]


def _starting_any(t: Any, name: str, ranges: int) -> ColumnElement[bool]:
    if ranges == 1:
        return and_(*_starting(t, f"{name}0"))
    return or_(*(and_(*_starting(t, f"{name}{i}")) for i in range(ranges)))


def _in_area(t: Any, area: str | None) -> list[ColumnElement[bool]]:
    """The area test of a statement's shape (`registry.search._area_params`). A desa is a
    range, not ``desa_code = :desa``: SQLite would substitute an equality's value into the
    kecamatan expression, which then no longer matches its index."""
    within = [kecamatan_of(t.c.desa_code) == bindparam("kecamatan")] if area in (
        "kecamatan", "desa") else []
    if area in ("desa", "wide"):
        within += [t.c.desa_code >= bindparam("area_lo"), t.c.desa_code < bindparam("area_hi")]
    return within


def _names_with_j(residents: Any) -> ColumnElement[bool]:
    """The coarse key folds J, DJ and Y together; a typed DJ is new J, never Y, so the names
    that match it have a J (DJ finds DJOKO and JOKO, not YANTO; POEDJI finds PUJI). One test
    of the stored name, upper case: a name with a J elsewhere still passes, and ranks by how
    its words match (`rank`)."""
    return residents.c.nama.like("%J%")


def _first_of_resident(t: Any, name: str) -> ColumnElement[bool]:
    """Keep a resident once, at its best phrase, when several start with the prefix."""
    earlier = _TOKENS.alias()
    return ~exists().where(earlier.c.resident_id == t.c.resident_id,
                           earlier.c.phrase >= bindparam(f"{name}_lo"),
                           earlier.c.phrase < t.c.phrase)


def _has_word(t: Any, name: str, ranges: int = 1) -> ColumnElement[bool]:
    """A probe of the resident's own phrases. ``OFFSET 0`` keeps it one: PostgreSQL would
    otherwise turn it into a join reading every phrase that starts with the word (70,000 for
    ``sup``) to answer for the 1,000 scanned."""
    other = _TOKENS.alias()
    return (select(literal_column("1"))
            .where(other.c.resident_id == t.c.resident_id, _starting_any(other, name, ranges))
            .offset(0).exists())


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
    (`_names_with_j`): the phrases read stay bounded however many are left out."""
    parts = []
    for i in range(ranges):
        t = _TOKENS.alias(f"t{i}")
        first = (select(literal_column(str(i)).label("part"), t.c.phrase, t.c.resident_id)
                 .where(*_starting(t, f"q{i}"), *_in_area(t, area))
                 .order_by(t.c.phrase, t.c.resident_id)
                 .limit(bindparam("window", type_=Integer)))
        if dj:
            f, r = first.subquery(f"f{i}"), _RESIDENTS.alias(f"r{i}")
            first = (select(*f.c).join_from(f, r, r.c.id == f.c.resident_id)
                     .where(_names_with_j(r)).order_by(f.c.phrase, f.c.resident_id))
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
    r = _RESIDENTS.alias("r")
    key = func.min(_tier(first.c.phrase, r) + first.c.phrase)
    return (select(first.c.resident_id, func.count().over().label("residents"))
            .join_from(first, r, r.c.id == first.c.resident_id)
            .where(*([_names_with_j(r)] if dj else []))
            .group_by(first.c.resident_id)
            .order_by(key, first.c.resident_id)
            .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))


@cache
def _window_residents(area: str | None, ranges: int, dj: bool) -> Select:
    first = _first(area, ranges).subquery("first")
    if not dj:
        return select(func.count(distinct(first.c.resident_id)))
    r = _RESIDENTS.alias("r")
    return (select(func.count(distinct(first.c.resident_id)))
            .join_from(first, r, r.c.id == first.c.resident_id).where(_names_with_j(r)))


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
    t = _TOKENS.alias("t")
    return _paged(select(t.c.resident_id)
                  .where(*_starting(t, "q0"), *_in_area(t, area), _first_of_resident(t, "q0"))
                  .order_by(t.c.phrase, t.c.resident_id))


# A query with a typed DJ looks at each name it reads (`_names_with_j`): its total is counted
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
    r = _RESIDENTS.alias("r")
    residents = func.count(distinct(case((_names_with_j(r), first.c.resident_id))))
    return (select(*(func.count(case((first.c.part == i, 1))) for i in range(ranges)),
                   residents).join_from(first, r, r.c.id == first.c.resident_id))


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
def _other_orders(others: tuple[int, ...], in_order: int, area: str | None, dj: bool,
                  patterns: int, counted: bool) -> Select:
    """The residents (or with ``counted`` their number) among the first ``:scan`` phrases in
    the area of the driving word (``d``) who have the other words (``o0_``…, each of
    ``others[i]`` ranges) somewhere but are not in-order matches (``q0``…); those whose name
    holds the words in the typed order (`typed_patterns`, ``:typed0``…) first."""
    s = _TOKENS.alias("s")
    scanned = (select(s.c.phrase, s.c.resident_id).where(*_starting(s, "d"), *_in_area(s, area))
               .order_by(s.c.phrase, s.c.resident_id)
               .limit(bindparam("scan", type_=Integer)).subquery("scanned"))
    # The other words first: most scanned phrases fail there, and SQLite tests in this order.
    tests = [*[_has_word(scanned, f"o{i}_", n) for i, n in enumerate(others)],
             ~_has_word(scanned, "q", in_order), _first_of_resident(scanned, "d"),
             *_with_j(scanned, dj)]
    found = select(scanned.c.resident_id).where(*tests)
    if counted:
        return select(func.count()).select_from(found.subquery())
    return found.order_by(case((_in_typed_order(scanned, patterns), 0), else_=1),
                          scanned.c.phrase, scanned.c.resident_id)


def _in_typed_order(scanned: Any, patterns: int) -> ColumnElement[bool]:
    """Whether a scanned resident's name holds the words in the typed order: a phrase of it
    from the first typed word (``f``) matches a pattern. One probe of the resident's own
    phrases, for the residents that match only."""
    other = _TOKENS.alias()
    return (select(literal_column("1"))
            .where(other.c.resident_id == scanned.c.resident_id, *_starting(other, "f"),
                   or_(*(other.c.phrase.like(bindparam(f"typed{i}")) for i in range(patterns))))
            .offset(0).exists())


def _with_j(scanned: Any, dj: bool) -> list[ColumnElement[bool]]:
    if not dj:
        return []
    r = _RESIDENTS.alias("r")
    return [exists().where(r.c.id == scanned.c.resident_id, _names_with_j(r))]


def _sizes_of(session: Session, query: NameQuery, area: str | None, params: Params,
              budget: int) -> dict[str, int]:
    """How many phrases in the area start with each whole key (a word standing for one key),
    counted up to ``budget`` + 1."""
    single = [w[0] for w in query.word_prefixes() if len(w) == 1]
    params = {**params, "budget": budget + 1}
    for i, key in enumerate(single):
        params.update(range_params(f"w{i}", key))
    return dict(zip(single, session.execute(_sizes(len(single), area), params).one(),
                    strict=True))


def typed_patterns(query: NameQuery) -> list[str]:
    """LIKE patterns of a phrase starting with the first typed word and holding the others
    after it in the typed order, each the start of a word (``sug% mar%``)."""
    middle = "".join(f" {k}%" for k in query.keys[1:-1])
    return [f"{query.keys[0]}%{middle} {p}%" for p in query.last]


def other_orders(session: Session, query: NameQuery, area: str | None, params: Params, *,
                 skip: int, wanted: int, budget: int) -> tuple[list[int], int, bool]:
    """``wanted`` matches that are not in order after ``skip``, found among the first
    ``budget`` phrases of the rarest word (the driver): those with the words in the typed
    order first (``sug mar``: SUGIYEM MARJATI NUR), then the others; how many there are; and
    whether the scan was cut (a lower bound then). All are read in one scan."""
    sizes = _sizes_of(session, query, area, params, budget)
    driver = min(sizes, key=sizes.__getitem__)
    others = [w for w in query.word_prefixes() if w != (driver,)]
    params = {**params, **range_params("d", driver), **range_params("f", query.keys[0]),
              "scan": budget}
    for i, prefixes in enumerate(others):
        for j, prefix in enumerate(prefixes):
            params.update(range_params(f"o{i}_{j}", prefix))
    patterns = typed_patterns(query)
    params.update({f"typed{i}": p for i, p in enumerate(patterns)})
    shape = (tuple(len(w) for w in others), len(query.in_order), area, query.dj, len(patterns))
    cut = sizes[driver] > budget
    if not wanted:  # the page is full: their number only, without ranking them
        return [], session.scalar(_other_orders(*shape, counted=True), params) or 0, cut
    ids = list(session.scalars(_other_orders(*shape, counted=False), params))
    return ids[skip:skip + wanted], len(ids), cut
