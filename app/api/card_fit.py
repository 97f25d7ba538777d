"""Values the card cannot print are refused by the API as the counter's forms refuse them
(`app.web.card_fit`), before anything is saved: a name the registry accepts (60 letters) may
still be too wide for the card, and a resident registered through the API must get a card too.

The refusal is a 422 naming the field, in the shape of the API's other field errors
(``errors.json.<field>``), with `app.cards`'s English message.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from flask_smorest import abort

from registry.regions import RegionIndex

from ..cards import card_misfits

MESSAGE = "some values cannot be printed on the card"


def refuse_misfits(values: Mapping[str, Any], index: RegionIndex,
                   judged: Collection[str] | None = None) -> None:
    """Abort with 422 when ``values`` (resident fields) would not print on the card.
    ``judged``: report only these fields (a correction: the ones it changes); None: all."""
    desa_code = values.get("desa_code")
    place = index.place(desa_code) if desa_code and index.is_desa(desa_code) else None
    errors: dict[str, list[str]] = {}
    for field, message in card_misfits(values, place=place):
        if judged is None or field in judged:
            errors.setdefault(field, []).append(message)
    if errors:
        abort(422, message=MESSAGE, errors={"json": errors})
