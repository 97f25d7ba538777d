"""Names whose words were typed in another order than the name holds them (``JOKO NUR`` for
NUR JOKO …): a bounded scan of the rarest word's phrases, each resident probed for the
others, those holding the words in the typed order ranked first. Called by
`registry.search` after the in-order matches (`registry.name_rank`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session

from .name_phrases import (
    RESIDENTS,
    TOKENS,
    NameQuery,
    Params,
    first_of_resident,
    has_word,
    in_area,
    names_with_j,
    range_params,
    starting,
)


@cache
def _sizes(count: int, area: str | None) -> Select:
    """The phrases in the area starting with each of ``count`` words (``w0``…), each counted
    up to ``:budget``, in one statement."""
    sizes = []
    for i in range(count):
        t = TOKENS.alias(f"w{i}")
        limited = (select(t.c.phrase).where(*starting(t, f"w{i}"), *in_area(t, area))
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
    s = TOKENS.alias("s")
    scanned = (select(s.c.phrase, s.c.resident_id).where(*starting(s, "d"), *in_area(s, area))
               .order_by(s.c.phrase, s.c.resident_id)
               .limit(bindparam("scan", type_=Integer)).subquery("scanned"))
    # The other words first: most scanned phrases fail there, and SQLite tests in this order.
    tests = [*[has_word(scanned, f"o{i}_", n) for i, n in enumerate(others)],
             ~has_word(scanned, "q", in_order), first_of_resident(scanned, "d"),
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
    other = TOKENS.alias()
    return (select(literal_column("1"))
            .where(other.c.resident_id == scanned.c.resident_id, *starting(other, "f"),
                   or_(*(other.c.phrase.like(bindparam(f"typed{i}")) for i in range(patterns))))
            .offset(0).exists())


def _with_j(scanned: Any, dj: bool) -> list[ColumnElement[bool]]:
    if not dj:
        return []
    r = RESIDENTS.alias("r")
    return [exists().where(r.c.id == scanned.c.resident_id, names_with_j(r))]


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
