"""The Indonesian catalog covers every message of the feature, and the compiled .mo the app
loads matches the .po beside it (a forgotten `pybabel compile` would ship stale text)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

FEATURE = Path(__file__).resolve().parents[2] / "app" / "evaluation"
CATALOG = FEATURE / "translations" / "id" / "LC_MESSAGES"
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}


def _ids(catalog) -> dict[str, str]:
    return {m.id: m.string for m in catalog if m.id}


def test_every_message_has_an_indonesian_translation():
    used = {message for _file, _line, message, _comments, _context in extract_from_dir(
        str(FEATURE), METHODS, keywords=KEYWORDS)}
    with (CATALOG / "messages.po").open("rb") as f:
        po = _ids(read_po(f))
    missing = sorted(m for m in used if isinstance(m, str) and not po.get(m))
    assert missing == []


def test_the_compiled_catalog_matches_its_source():
    with (CATALOG / "messages.po").open("rb") as f:
        po = _ids(read_po(f))
    with (CATALOG / "messages.mo").open("rb") as f:
        mo = _ids(read_mo(f))
    assert mo == po
