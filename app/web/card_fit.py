"""Values the card cannot print are refused when a resident is registered or corrected, before
anything is saved: a name the registry accepts (60 letters) may still be too wide for the card's
two lines, and the clerk can only shorten it while the resident is at the counter.

`app.cards.card_misfit_errors` fits the values as the card does; this module says its errors in
the clerk's language, by their ``code`` and ``params``, on the form field to correct.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from flask_babel import gettext as _

from registry.regions import RegionIndex

from ..cards import card_misfit_errors


class CardMisfitsError(Exception):
    """``errors``: the field to correct -> what does not print, in the clerk's language."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def misfit_text(error: Any) -> str:
    """One `printing` fitting error (``field-too-long``, ``unsupported-character``)."""
    code, params = getattr(error, "code", None), getattr(error, "params", None) or {}
    try:
        if code == "field-too-long":
            return _("Too long to print on the card (line “%(label)s”), even in the smallest "
                     "type: shorten or abbreviate it.", label=params["label"])
        if code == "unsupported-character":
            return _("The card cannot print “%(char)s” (%(codepoint)s) in “%(label)s”: "
                     "replace it.", char=params["char"], codepoint=params["codepoint"],
                     label=params["label"])
    except KeyError:
        pass  # a code whose values changed: its English still says it
    return _("This cannot be printed on the card: %(why)s", why=str(error))


def refuse_misfits(values: Mapping[str, Any], index: RegionIndex,
                   judged: Collection[str] | None = None) -> None:
    """Raise `CardMisfitsError` when ``values`` (resident fields) would not print on the card.
    ``judged``: report only these fields (a correction: the ones changed); None: all."""
    desa_code = values.get("desa_code")
    place = index.place(desa_code) if desa_code and index.is_desa(desa_code) else None
    errors: dict[str, list[str]] = {}
    for field, error in card_misfit_errors(values, place=place):
        if judged is None or field in judged:
            errors.setdefault(field, []).append(misfit_text(error))
    if errors:
        raise CardMisfitsError(errors)
