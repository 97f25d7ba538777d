"""Who is in a batch, and who cannot get a card from it and why.

A selection (a kecamatan or desa, a list of NIKs, a search) becomes an ordered list of
candidates. Each candidate becomes one row: pending, or skipped with a reason a supervisor can
act on (take the photo, close the open application, ...). The rules are checked once when the
batch is made and again when a worker takes the card, because a resident may die, move or get
a card at the counter in between.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import exists, func, or_, select, text
from sqlalchemy.orm import Session

from . import search
from .applications import eligibility
from .dialect import among
from .errors import InvalidRecordError
from .models import (
    DESA,
    KECAMATAN,
    PHOTO,
    SIGNATURE,
    Application,
    Card,
    Region,
    Resident,
    ResidentImage,
)
from .models.batch import ACTIVE_SQL, BatchItem
from .models.issuance import OPEN_STATES
from .regions import desa_range
from .values import MENINGGAL, PINDAH

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


class Skip(NamedTuple):
    code: str
    message: str


class Candidate(NamedTuple):
    """One row of a batch: a selected NIK, its resident (None when unknown) and why it cannot
    get a card (None: it can)."""

    nik: str
    resident_id: int | None
    skip: Skip | None = None


class Facts(NamedTuple):
    """What decides whether a resident can get a card now (duck-types a `Resident` for
    `registry.applications.eligibility`). A tuple in the order of `_fact_columns`, so a
    batch of 100,000 turns rows into facts without a per-field Python call."""

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
    last_card_at: dt.datetime | None
    other_batch: int | None = None


def _region(session: Session, code: str | None) -> Any:
    """The name and level of one region (None if there is none): one row, not the whole index
    (92k names, loaded in about 0.4 s by a process that has not needed it yet, such as the
    console)."""
    if not code:
        return None
    return session.execute(select(Region.name, Region.level).where(Region.code == code)).first()


def label(session: Session, selection: Selection) -> str:
    if selection.kind in ("kecamatan", "desa"):
        region = _region(session, selection.code)  # checked by `candidates`
        return f"{selection.kind} {selection.code} {region.name}"
    if selection.kind == "niks":
        where = f" from {selection.source}" if selection.source else ""
        return f"{len(selection.niks)} NIKs{where}"[:200]
    area = f" in {selection.code}" if selection.code else ""
    return f"search {selection.q!r}{area}"[:200]


AREA_EXAMPLES = {"kecamatan": "33.14.10", "desa": "33.14.10.2007"}


def _check_area(session: Session, selection: Selection) -> None:
    """A kecamatan or desa selection names a region of that level; the area of a search (any
    level: a kabupaten office searches its whole kabupaten) is one of the region list, not a
    code that merely looks like one and so finds nobody."""
    region = _region(session, selection.code)
    if selection.kind == "search":
        if selection.code and region is None:
            raise InvalidRecordError({"area": [f"{selection.code!r} is not a region code (like "
                                               f"{AREA_EXAMPLES['kecamatan']} or "
                                               f"{AREA_EXAMPLES['desa']})"]})
        return
    if region is None or region.level != {"kecamatan": KECAMATAN, "desa": DESA}[selection.kind]:
        example = AREA_EXAMPLES[selection.kind]
        raise InvalidRecordError({selection.kind: [f"{selection.code!r} is not a {selection.kind} "
                                                   f"code (like {example})"]})


def candidates(session: Session, selection: Selection, today: dt.date,
               area: str | None = None) -> list[Candidate]:
    """The selected residents in print order, each with the reason it is skipped today (if
    any): by desa then NIK for an area (cards come out grouped by village, ready to hand to
    each village office), else in the given order. ``area``: residents living outside it are
    skipped. Every resident's facts come in one query, whatever the size of the selection."""
    if selection.kind in ("kecamatan", "desa"):
        _check_area(session, selection)
        low, high = desa_range(selection.code or "")
        r = Resident.__table__.c
        found = _facts(session, (r.desa_code >= low) & (r.desa_code < high),
                       r.desa_code, r.nik)
        return [Candidate(f.nik, f.resident_id, skip_for(f, today, area)) for f in found]
    if selection.kind == "niks":
        return _listed(session, selection.niks, today, area)
    if selection.kind == "search":
        _check_area(session, selection)
        return _searched(session, selection.q or "", selection.code, today, area)
    raise InvalidRecordError({"selection": [f"unknown selection {selection.kind!r}"]})


def _wellformed(nik: str) -> bool:
    return len(nik) == 16 and nik.isascii() and nik.isdigit()


def _listed(session: Session, niks: Sequence[str], today: dt.date,
            area: str | None) -> list[Candidate]:
    wellformed = {n for n in set(niks) if _wellformed(n)}
    r = Resident.__table__.c
    known = {f.nik: f for f in _facts(session, among(session, r.nik, list(wellformed)))}
    seen: set[str] = set()
    out = []
    for nik in niks:
        found = known.get(nik)
        if nik not in wellformed:
            out.append(Candidate(nik[:32], None, Skip(INVALID_NIK, "not a 16-digit NIK")))
        elif nik in seen:
            out.append(Candidate(nik, found.resident_id if found else None,
                                 Skip(DUPLICATE, "listed more than once")))
        elif found is None:
            out.append(Candidate(nik, None, Skip(NOT_FOUND, "no resident has this NIK")))
        else:
            out.append(Candidate(nik, found.resident_id, skip_for(found, today, area)))
        seen.add(nik)
    return out


def _searched(session: Session, q: str, within: str | None, today: dt.date,
              area: str | None) -> list[Candidate]:
    if not q.strip():
        raise InvalidRecordError({"q": ["say what to search for"]})
    ids: list[int] = []
    page = 1
    while len(ids) < SEARCH_LIMIT:
        found = search.search(session, q, area=within, page=page, per_page=search.MAX_PER_PAGE)
        ids += [r.id for r in found.items]
        if len(found.items) < found.per_page:
            break
        page += 1
    known = facts(session, ids[:SEARCH_LIMIT])
    return [Candidate(known[i].nik, i, skip_for(known[i], today, area))
            for i in ids[:SEARCH_LIMIT]]


def _fact_columns() -> list[Any]:
    """The columns of `Facts`, in its order, for a query on the residents table."""
    r = Resident.__table__.c
    return [r.id.label("resident_id"), r.nik, r.desa_code, r.status, r.tanggal_lahir,
            r.status_perkawinan, r.kewarganegaraan, r.itap_berlaku_hingga,
            *derived_fact_columns(), _other_batch().label("other_batch")]


def derived_fact_columns() -> list[Any]:
    """The facts that are not the resident's own columns (`Facts` from photo_id to
    last_card_at), for a query on the residents table. Plain table columns: no ORM work per
    row or per query; no IN list either, which SQLAlchemy would expand again at every
    execution (a worker runs this once a card)."""
    r, images = Resident.__table__.c, ResidentImage.__table__.c
    applications, cards = Application.__table__.c, Card.__table__.c

    def newest(kind: str):
        return (select(func.max(images.id))
                .where(images.resident_id == r.id, images.kind == kind).scalar_subquery())

    # The newest card: copy numbers grow card by card, and in their order the unique index on
    # (resident_id, copy_number) finds it without reading and sorting all of them.
    last_card = (select(cards.printed_at).where(cards.resident_id == r.id)
                 .order_by(cards.copy_number.desc()).limit(1).scalar_subquery())
    return [newest(PHOTO).label("photo_id"), newest(SIGNATURE).label("signature_id"),
            exists().where(applications.resident_id == r.id,
                           or_(*(applications.state == s for s in OPEN_STATES)))
            .label("open_application"),
            last_card.label("last_card_at")]


def _other_batch() -> Any:
    """The unfinished batch the resident is in, if any (with the one-active-card index's own
    predicate, written out so that SQLite uses that partial index)."""
    r, items = Resident.__table__.c, BatchItem.__table__.c
    return (select(items.batch_id)
            .where(items.resident_id == r.id, text(f"batch_items.{ACTIVE_SQL}"))
            .limit(1).scalar_subquery())


def facts_of(row: Any) -> Facts:
    """The facts in a row of a resident's columns and the `derived_fact_columns`, where the
    card row itself is the resident's active one (so no other batch)."""
    return Facts(row.id, row.nik, row.desa_code, row.status, row.tanggal_lahir,
                 row.status_perkawinan, row.kewarganegaraan, row.itap_berlaku_hingga,
                 row.photo_id, row.signature_id, row.open_application, row.last_card_at)


def _facts(session: Session, where: Any, *order_by: Any) -> list[Facts]:
    """The facts of the residents ``where`` says, in one query."""
    query = select(*_fact_columns()).where(where).order_by(*order_by)
    return list(map(Facts._make, session.execute(query)))


def facts(session: Session, resident_ids: Sequence[int]) -> dict[int, Facts]:
    """The facts of many residents by id, in one query however many they are."""
    found = _facts(session, among(session, Resident.__table__.c.id, resident_ids))
    return {f.resident_id: f for f in found}


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
