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

Pages cost what they show, not what the query matches; totals are counted up to `COUNT_CAP`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, distinct, exists, func, select
from sqlalchemy.orm import Session, aliased

from .models import Family, Resident, ResidentNameToken
from .names import prefix_upper_bound, word_key, words

COUNT_CAP = 1000
SCAN_BUDGET = 1000
MAX_PER_PAGE = 100

Bounds = tuple[str, str]


@dataclass(frozen=True)
class SearchPage:
    items: list[Resident]
    total: int
    total_capped: bool  # True when at least `total` residents match, maybe more
    page: int
    per_page: int


def _area_bounds(area: str | None) -> Bounds | None:
    """Desa codes within ``area``, a region code of any level, as a range."""
    if not area:
        return None
    if area.count(".") == 3:
        return area, prefix_upper_bound(area)  # a desa code is a leaf: nothing longer exists
    prefix = area + "."
    return prefix, prefix_upper_bound(prefix)


def _starting(token, prefix: str) -> ColumnElement[bool]:
    return and_(token.phrase >= prefix, token.phrase < prefix_upper_bound(prefix))


def _first_of_resident(token, prefix: str) -> ColumnElement[bool]:
    """Keep a resident once, at its best phrase, when several start with ``prefix``."""
    earlier = aliased(ResidentNameToken)
    return ~exists().where(earlier.resident_id == token.resident_id, earlier.phrase >= prefix,
                           earlier.phrase < token.phrase)


def _has_word(token, key: str) -> ColumnElement[bool]:
    other = aliased(ResidentNameToken)
    return exists().where(other.resident_id == token.resident_id, _starting(other, key))


def _in_area(token, bounds: Bounds | None) -> list[ColumnElement[bool]]:
    return [token.desa_code >= bounds[0], token.desa_code < bounds[1]] if bounds else []


def _in_order(phrase: str, bounds: Bounds | None) -> Select:
    t = aliased(ResidentNameToken)
    return (select(t.resident_id)
            .where(_starting(t, phrase), *_in_area(t, bounds), _first_of_resident(t, phrase))
            .order_by(t.phrase, t.resident_id))


def _any_order(session: Session, keys: list[str], bounds: Bounds | None) -> tuple[Select, bool]:
    """Residents with every word somewhere, who are not in-order matches; and whether the
    scan of the rarest word's phrases was cut at `SCAN_BUDGET`."""
    sizes = {k: _capped_count(session, select(ResidentNameToken.phrase).where(
        _starting(ResidentNameToken, k)), SCAN_BUDGET) for k in keys}
    driver = min(keys, key=lambda k: sizes[k])
    scanned = (select(ResidentNameToken.phrase, ResidentNameToken.resident_id,
                      ResidentNameToken.desa_code)
               .where(_starting(ResidentNameToken, driver))
               .order_by(ResidentNameToken.phrase).limit(SCAN_BUDGET).subquery())
    t = aliased(ResidentNameToken, scanned)
    phrase = " ".join(keys)
    # The other words first: most scanned phrases fail there, and SQLite tests in this order.
    query = (select(t.resident_id)
             .where(*_in_area(t, bounds), *[_has_word(t, k) for k in keys if k != driver],
                    ~_has_word(t, phrase), _first_of_resident(t, driver))
             .order_by(t.phrase, t.resident_id))
    return query, sizes[driver] > SCAN_BUDGET


def _count_in_order(session: Session, phrase: str, bounds: Bounds | None,
                    ordered: Select) -> int:
    """`_capped_count` of the in-order matches, without a probe per phrase: the distinct
    residents among the first phrases of the range decide it, unless a run of residents with
    several matching phrases (``sri sri …``) leaves that undecided."""
    t = aliased(ResidentNameToken)
    window = 2 * (COUNT_CAP + 1)
    first = (select(t.resident_id).where(_starting(t, phrase), *_in_area(t, bounds))
             .limit(window).subquery())
    read, residents = session.execute(
        select(func.count(), func.count(distinct(first.c.resident_id)))).one()
    if read < window or residents > COUNT_CAP:
        return residents
    return _capped_count(session, ordered)


def _capped_count(session: Session, query: Select, cap: int = COUNT_CAP) -> int:
    limited = query.order_by(None).limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(limited)) or 0


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
    keys = [k for k in (word_key(w) for w in words(text)) if k]
    if digits.isdigit() or not keys:
        ids = _number_query(digits, bounds) if digits.isdigit() else _everyone(bounds)
        found = list(session.scalars(ids.limit(per_page).offset(offset)))
        total = _capped_count(session, ids)
        return SearchPage(_load(session, found), min(total, COUNT_CAP), total > COUNT_CAP,
                          page, per_page)
    phrase = " ".join(keys)
    ordered = _in_order(phrase, bounds)
    found = list(session.scalars(ordered.limit(per_page).offset(offset)))
    total = _count_in_order(session, phrase, bounds, ordered)
    capped = total > COUNT_CAP
    if len(keys) > 1 and not capped:
        rest, cut = _any_order(session, keys, bounds)
        extra = None
        if len(found) < per_page:
            skip, wanted = max(offset - total, 0), per_page - len(found)
            more = list(session.scalars(rest.limit(wanted).offset(skip)))
            found += more
            if len(more) < wanted and (more or not skip):
                extra = skip + len(more)  # the page reached the end: no second scan to count
        if extra is None:
            extra = _capped_count(session, rest, COUNT_CAP - total)
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
