"""The notes the registry writes itself, on an application's timeline and on a replaced card,
said in the clerk's language. The registry stores them as a code with its values
(`registry.applications.read_note`); a note a person typed is shown as it was typed."""

from __future__ import annotations

from flask_babel import gettext as _

from registry.applications import PRINTED_COPY, RECEIVED_BY, REPLACED_BY, SUBMITTED, read_note

from .labels import KINDS, REASONS, label


def note_text(note: str | None, step: str | None = None) -> str:
    """``step``: the state the timeline step went to, or ``"card"`` for a card's note."""
    code, values = read_note(note, step)
    if code == SUBMITTED:
        what = label(KINDS, values.get("kind"))
        if values.get("reason"):
            what = f"{what} · {label(REASONS, values['reason'])}"
        return _("%(what)s for NIK %(nik)s", what=what, nik=values.get("nik", ""))
    if code == PRINTED_COPY:
        return _("Card copy %(copy)d", copy=values["copy"])
    if code == RECEIVED_BY:
        return _("Received by %(who)s", who=values["by"])
    if code == REPLACED_BY:
        return _("Replaced by copy %(copy)d", copy=values["copy"])
    return note or ""


def card_note(note: str | None) -> str:
    """Why a card is no longer valid."""
    return note_text(note, "card")
