"""The name phrase table as a search reads it: a typed name as spelling keys, and the tests a
statement puts on a phrase (a key range, an area, a word the resident also has).

``<name>_lo``/``<name>_hi`` bind a key range (`range_params`); each statement is built once
per shape (`registry.name_rank`, `registry.name_orders`) with every value bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, literal_column, or_, select, tuple_

from .models import Resident, ResidentNameToken
from .models.resident import kecamatan_of
from .names import prefix_keys, prefix_upper_bound, word_key, words

Params = dict[str, Any]
TOKENS = ResidentNameToken.__table__
RESIDENTS = Resident.__table__


@dataclass(frozen=True)
class NameQuery:
    """Name words as typed: ``typed`` as `registry.names.words` gives them, ``keys`` their
    spelling keys, ``last`` the key prefixes the last (partly typed) word may start, and
    ``dj``: a typed word spells DJ, which is new J, never Y (see `names_with_j`)."""

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


def range_params(name: str, prefix: str) -> Params:
    return {f"{name}_lo": prefix, f"{name}_hi": prefix_upper_bound(prefix)}


def starting(t: Any, name: str) -> list[ColumnElement[bool]]:
    return [t.c.phrase >= bindparam(f"{name}_lo"), t.c.phrase < bindparam(f"{name}_hi")]


def in_area(t: Any, area: str | None) -> list[ColumnElement[bool]]:
    """The area test of a statement's shape (`registry.search._area_params`). A desa is a
    range, not ``desa_code = :desa``: SQLite would substitute an equality's value into the
    kecamatan expression, which then no longer matches its index."""
    within = [kecamatan_of(t.c.desa_code) == bindparam("kecamatan")] if area in (
        "kecamatan", "desa") else []
    if area in ("desa", "wide"):
        within += [t.c.desa_code >= bindparam("area_lo"), t.c.desa_code < bindparam("area_hi")]
    return within


def names_with_j(residents: Any) -> ColumnElement[bool]:
    """The coarse key folds J, DJ and Y together; a typed DJ is new J, never Y, so the names
    that match it have a J (DJ finds DJOKO and JOKO, not YANTO; POEDJI finds PUJI). One test
    of the stored name, upper case: a name with a J elsewhere still passes, and ranks by how
    its words match (`registry.name_rank`)."""
    return residents.c.nama.like("%J%")


def first_of_resident(t: Any, name: str) -> ColumnElement[bool]:
    """Keep a resident once, at its best phrase, when several start with the prefix."""
    earlier = TOKENS.alias()
    return ~exists().where(earlier.c.resident_id == t.c.resident_id,
                           earlier.c.phrase >= bindparam(f"{name}_lo"),
                           earlier.c.phrase < t.c.phrase)


def has_word(t: Any, name: str, ranges: int = 1) -> ColumnElement[bool]:
    """A probe of the resident's own phrases. ``OFFSET 0`` keeps it one: PostgreSQL would
    otherwise turn it into a join reading every phrase that starts with the word (70,000 for
    ``sup``) to answer for the 1,000 scanned. The range is a row value on (resident, phrase),
    which only the resident's index can answer: given ``phrase >= :lo AND phrase < :hi``
    PostgreSQL walked the phrase key's range for each resident instead (12 of the 14 ms of
    ``SUPARMI KHO`` on 1,000,000 residents)."""
    other = TOKENS.alias()
    own = tuple_(other.c.resident_id, other.c.phrase)
    within = [and_(own >= tuple_(t.c.resident_id, bindparam(f"{name}{i}_lo")),
                   own < tuple_(t.c.resident_id, bindparam(f"{name}{i}_hi")))
              for i in range(ranges)]
    return (select(literal_column("1"))
            .where(other.c.resident_id == t.c.resident_id, or_(*within))
            .offset(0).exists())
