"""The registry's reasons that a clerk meets most, so the catalog can translate them.

The registry speaks English and knows no Flask; `app.web.labels.reason_text` looks each reason
up in the catalog and shows it as it is when there is no translation (reasons that carry a
value, like a NIK, stay English). Listing them here is what puts them in the catalog.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KNOWN = (
    # eligibility (registry.applications.eligibility)
    _l("under 17 and never married"),
    _l("resident is pindah: no card is issued"),
    _l("resident is meninggal: no card is issued"),
    _l("WNA without a valid ITAP (permanent stay permit)"),
    # applications and their evidence
    _l("a first card has no reprint reason: this resident has no card yet"),
    _l("a reprint needs a reason: RUSAK, HILANG, PERUBAHAN DATA"),
    _l("a lost card needs the police loss report number"),
    _l("the damaged card must be handed in"),
    _l("name the supporting document of the change"),
    _l("nothing changed since the last card was printed (for a new photo alone, say so)"),
    _l("must be captured before verification"),
    _l("the change is a new photo: capture it first"),
    _l("say why the application is rejected"),
    _l("who received the card?"),
    _l("the clerk who took an application cannot also verify it"),
    # resident records (registry.validation, registry.residents)
    _l("is required"),
    _l("is in the future"),
    _l("must be a number 001-999"),
    _l("cannot be emptied"),
    _l("is a static element and cannot be changed"),
    _l("is already issued to another resident"),
    _l("is required for a WNA (the KTP is valid as long as the ITAP)"),
    _l("applies to WNA residents only"),
    _l("is required unless the resident heads a new family (KEPALA KELUARGA)"),
    # blank-card stock
    _l("must be at least 1"),
    _l("must differ from the sending office"),
)
