"""Who is in a batch, and who cannot get a card from it and why.

A selection (a kecamatan or desa, a list of NIKs, a search) becomes an ordered list of
candidates. Each candidate becomes one row: pending, or skipped with a reason a supervisor can
act on (take the photo, close the open application, ...). The rules are checked once when the
batch is made and again when a worker takes the card, because a resident may die, move or get
a card at the counter in between.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, func, select, text
from sqlalchemy.orm import Session

from . import regions, search
from .applications import eligibility
from .batch_rows import among
from .errors import InvalidRecordError
from .models import PHOTO, SIGNATURE, Application, Card, Resident, ResidentImage
from .models.batch import ACTIVE_SQL, BatchItem
from .models.issuance import OPEN_STATES
from .names import prefix_upper_bound
from .values import MENINGGAL, PINDAH

CHUNK = 5000
SEARCH_LIMIT = 10_000

# Why a resident is left out. The first group depends on the resident's record and is checked
# again when a batch is retried; the second is about the selection itself.
DECEASED, MOVED_OUT, NOT_ELIGIBLE = "deceased", "moved-out", "not-eligible"
NO_PHOTO, NO_SIGNATURE = "no-photo", "no-signature"
OPEN_APPLICATION, IN_OTHER_BATCH, CARD_SINCE = "open-application", "in-other-batch", "card-since"
INVALID_NIK, NOT_FOUND, DUPLICATE, OUTSIDE_AREA = (
    "invalid-nik", "not-found", "duplicate", "outside-area")
RECHECKABLE = (DECEASED, MOVED_OUT, NOT_ELIGIBLE, NO_PHOTO, NO_SIGNATURE, OPEN_APPLICATION,
               IN_OTHER_BATCH)
SKIP_CODES = (*RECHECKABLE, CARD_SINCE, INVALID_NIK, NOT_FOUND, DUPLICATE, OUTSIDE_AREA)


@dataclass(frozen=True)
class Selection:
    """How residents are chosen: ``kind`` is kecamatan, desa, niks or search."""

    kind: str
    code: str | None = None  # kecamatan or desa code; the area of a search
    niks: tuple[str, ...] = ()
    q: str | None = None
    source: str | None = None  # where a NIK list came from (a file name), for the label

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.code:
            data["code"] = self.code
        if self.q is not None:
            data["q"] = self.q
        if self.kind == "niks":
            data["count"] = len(self.niks)
            if self.source:
                data["source"] = self.source
        return data


@dataclass(frozen=True)
class Skip:
    code: str
    message: str


@dataclass
class Candidate:
    nik: str
    resident_id: int | None
    skip: Skip | None = None


@dataclass(frozen=True)
class Facts:
    """What decides whether a resident can get a card now (duck-types a `Resident` for
    `registry.applications.eligibility`)."""

    resident_id: int
    nik: str
    desa_code: str
    status: str
    tanggal_lahir: dt.date
    status_perkawinan: str
    kewarganegaraan: str
    itap_berlaku_hingga: dt.date | None
    photo_id: int | None  # the newest, which a card made now carries
    signature_id: int | None
    open_application: bool
    other_batch: int | None = field(default=None)
    last_card_at: dt.datetime | None = None


def label(session: Session, selection: Selection) -> str:
    index = regions.index(session)
    if selection.kind in ("kecamatan", "desa"):
        return f"{selection.kind} {selection.code} {index.name(selection.code)}"
    if selection.kind == "niks":
        where = f" from {selection.source}" if selection.source else ""
        return f"{len(selection.niks)} NIKs{where}"[:200]
    area = f" in {selection.code}" if selection.code else ""
    return f"search {selection.q!r}{area}"[:200]


def _area_bounds(code: str) -> tuple[str, str]:
    prefix = code if code.count(".") == 3 else code + "."
    return prefix, prefix_upper_bound(prefix)


def _check_area(session: Session, selection: Selection) -> None:
    index = regions.index(session)
    wanted = {"kecamatan": index.is_kecamatan, "desa": index.is_desa}[selection.kind]
    if not selection.code or not wanted(selection.code):
        raise InvalidRecordError({selection.kind: [f"{selection.code!r} is not a {selection.kind} "
                                                   "code (like 33.14.10 or 33.14.10.2001)"]})


def candidates(session: Session, selection: Selection) -> list[Candidate]:
    """The selected residents in print order: by desa then NIK for an area (cards come out
    grouped by village, ready to hand to each village office), else in the given order."""
    if selection.kind in ("kecamatan", "desa"):
        _check_area(session, selection)
        low, high = _area_bounds(selection.code or "")
        rows = session.execute(select(Resident.nik, Resident.id)
                               .where(Resident.desa_code >= low, Resident.desa_code < high)
                               .order_by(Resident.desa_code, Resident.nik))
        return [Candidate(nik, rid) for nik, rid in rows]
    if selection.kind == "niks":
        return _listed(session, selection.niks)
    if selection.kind == "search":
        return _searched(session, selection.q or "", selection.code)
    raise InvalidRecordError({"selection": [f"unknown selection {selection.kind!r}"]})


def _wellformed(nik: str) -> bool:
    return len(nik) == 16 and nik.isascii() and nik.isdigit()


def _listed(session: Session, niks: Sequence[str]) -> list[Candidate]:
    wellformed = sorted({n for n in niks if _wellformed(n)})
    found: dict[str, int] = {}
    for start in range(0, len(wellformed), CHUNK):
        chunk = wellformed[start:start + CHUNK]
        found.update(session.execute(select(Resident.nik, Resident.id)
                                     .where(among(session, Resident.nik, chunk))).all())
    seen: set[str] = set()
    out = []
    for nik in niks:
        if not _wellformed(nik):
            out.append(Candidate(nik[:32], None, Skip(INVALID_NIK, "not a 16-digit NIK")))
        elif nik in seen:
            out.append(Candidate(nik, found.get(nik), Skip(DUPLICATE, "listed more than once")))
        elif nik not in found:
            out.append(Candidate(nik, None, Skip(NOT_FOUND, "no resident has this NIK")))
        else:
            out.append(Candidate(nik, found[nik]))
        seen.add(nik)
    return out


def _searched(session: Session, q: str, area: str | None) -> list[Candidate]:
    if not q.strip():
        raise InvalidRecordError({"q": ["say what to search for"]})
    out: list[Candidate] = []
    page = 1
    while len(out) < SEARCH_LIMIT:
        found = search.search(session, q, area=area, page=page, per_page=search.MAX_PER_PAGE)
        out += [Candidate(r.nik, r.id) for r in found.items]
        if len(found.items) < found.per_page:
            break
        page += 1
    return out[:SEARCH_LIMIT]


def fact_columns(other_batch: bool = True) -> list[Any]:
    """The columns of `Facts`, by field name, for a query on the residents table
    (``other_batch`` False: leave that one out, when the card row itself is the resident's
    active one). Plain table columns: no ORM work per row or per query."""
    r, images = Resident.__table__.c, ResidentImage.__table__.c
    items, applications = BatchItem.__table__.c, Application.__table__.c

    def newest(kind: str):
        return (select(func.max(images.id))
                .where(images.resident_id == r.id, images.kind == kind).scalar_subquery())

    other = (select(items.batch_id)
             .where(items.resident_id == r.id, text(f"batch_items.{ACTIVE_SQL}"))
             .limit(1).scalar_subquery())
    cards = Card.__table__.c
    last_card = (select(cards.printed_at).where(cards.resident_id == r.id)
                 .order_by(cards.id.desc()).limit(1).scalar_subquery())
    columns = [r.id.label("resident_id"), r.nik, r.desa_code, r.status, r.tanggal_lahir,
               r.status_perkawinan, r.kewarganegaraan, r.itap_berlaku_hingga,
               newest(PHOTO).label("photo_id"), newest(SIGNATURE).label("signature_id"),
               exists().where(applications.resident_id == r.id,
                              applications.state.in_(OPEN_STATES)).label("open_application"),
               last_card.label("last_card_at")]
    return [*columns, other.label("other_batch")] if other_batch else columns


def facts(session: Session, resident_ids: Sequence[int]) -> dict[int, Facts]:
    """The facts of many residents in one query (a batch of 100,000 needs 20 of them)."""
    query = select(*fact_columns()).where(among(session, Resident.__table__.c.id, resident_ids))
    return {row.resident_id: Facts(**row._mapping) for row in session.execute(query)}


def skip_for(found: Facts, today: dt.date, area: str | None = None) -> Skip | None:
    """Why this resident cannot get a card from a batch now; None when they can."""
    if area and not (found.desa_code == area or found.desa_code.startswith(area + ".")):
        return Skip(OUTSIDE_AREA, f"lives outside {area}, the area of the office")
    if found.status == MENINGGAL:
        return Skip(DECEASED, "resident is deceased: no card is issued")
    if found.status == PINDAH:
        return Skip(MOVED_OUT, "resident has moved out: no card is issued")
    if reasons := eligibility(found, today):  # type: ignore[arg-type]
        return Skip(NOT_ELIGIBLE, "; ".join(reasons))
    if found.photo_id is None:
        return Skip(NO_PHOTO, "no photo taken yet")
    if found.signature_id is None:
        return Skip(NO_SIGNATURE, "no signature taken yet")
    if found.open_application:
        return Skip(OPEN_APPLICATION, "has an open application at the counter, which prints "
                                      "or has printed the card")
    if found.other_batch is not None:
        return Skip(IN_OTHER_BATCH, f"already in batch {found.other_batch}")
    return None


def judged(session: Session, chunk: list[Candidate], today: dt.date,
           area: str | None) -> Iterator[Candidate]:
    """The candidates with the skip reason each has today."""
    known = facts(session, [c.resident_id for c in chunk if c.resident_id and not c.skip])
    for candidate in chunk:
        if candidate.skip is None and candidate.resident_id is not None:
            candidate.skip = skip_for(known[candidate.resident_id], today, area)
        yield candidate
