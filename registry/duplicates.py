"""Duplicate candidates: residents who may be the person being registered, as the registering
clerk may see them.

Registries see the same person twice (duplicate NIKs are a known plague), under any spelling
and with the words of the name swapped, so the check compares the spelling-folded name in every
word order, with the birth date and sex. A clerk sees the candidates of their office's area in
full; one outside it is only counted, never named or placed: the check must not tell a clerk
what reading that resident's record would refuse.
"""

from __future__ import annotations

import datetime as dt
from itertools import islice, permutations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import DuplicateCandidatesError, RegistryError
from .models import Resident
from .names import name_key

_BRIEF = ("nik", "nama", "tanggal_lahir", "jenis_kelamin", "alamat", "desa_code", "status")
# What a candidate outside the clerk's area still shows: only what the clerk typed themselves.
_REDACTED_KEEPS = ("tanggal_lahir", "jenis_kelamin")


def brief(resident: Resident) -> dict[str, Any]:
    """Enough to tell residents apart in a list of candidates."""
    return {f: getattr(resident, f) for f in _BRIEF}


def serves(office_code: str | None, region_code: str) -> bool:
    """Whether an office's area holds a region (no office: the console or the system, which
    see everything). The same rule as the signed-in clerk's (`app.auth.principal`)."""
    return (office_code is None or region_code == office_code
            or region_code.startswith(office_code + "."))


def candidate(resident: Resident, office_code: str | None) -> dict[str, Any]:
    """A duplicate candidate as a clerk of ``office_code`` may see it: in full within the
    office's area; outside it, nothing that tells who or where the person is (the clerk
    typed the name, birth date and sex, so those say nothing new), and ``outside_area``."""
    if serves(office_code, resident.desa_code):
        return {**brief(resident), "outside_area": False}
    return {**{f: "" for f in _BRIEF}, **{f: getattr(resident, f) for f in _REDACTED_KEEPS},
            "outside_area": True}


class AreaDuplicateCandidatesError(DuplicateCandidatesError):
    """`DuplicateCandidatesError` whose candidates outside the clerk's area are redacted
    (`candidate`): a duplicate check must not reveal who lives where the clerk may not look.
    ``outside_area`` counts them; the message names only the NIKs the clerk may see."""

    def __init__(self, candidates: list[dict[str, Any]], office_code: str | None) -> None:
        visible = [c["nik"] for c in candidates if not c["outside_area"]]
        self.outside_area = len(candidates) - len(visible)
        parts = [f"possible duplicate of {', '.join(visible)}"] if visible else []
        if self.outside_area:
            who = "resident" if self.outside_area == 1 else "residents"
            parts.append(f"{'' if visible else 'possible duplicate: '}{self.outside_area} "
                         f"{'more ' if visible else ''}{who} outside the area of office "
                         f"{office_code}")
        RegistryError.__init__(self, "; ".join(parts) + ": same name (in any spelling or word "
                               "order), birth date and sex; confirm to register anyway")
        self.candidates = [dict(c) for c in candidates]


MAX_WORD_ORDERS = 120  # every order of up to five words


def word_orders(key: str) -> list[str]:
    """The name key in every order of its words (``hadi sukarno``, ``sukarno hadi``), at most
    `MAX_WORD_ORDERS` of them: registries hold the same person with the words swapped."""
    words = key.split()
    return list(dict.fromkeys(" ".join(p) for p in islice(permutations(words), MAX_WORD_ORDERS)))


def duplicate_candidates(
    session: Session, nama: str, tanggal_lahir: dt.date, jenis_kelamin: str
) -> list[Resident]:
    """Residents whose name (in any spelling and any word order), birth date and sex equal
    these. The stored key keeps the typed order (search ranks by it), so the check asks for
    each order: one probe of the duplicate index per order, only when registering."""
    return list(
        session.scalars(
            select(Resident)
            .where(
                Resident.name_key.in_(word_orders(name_key(nama))),
                Resident.tanggal_lahir == tanggal_lahir,
                Resident.jenis_kelamin == jenis_kelamin,
            )
            .order_by(Resident.id)
        )
    )


