"""Bahasa Indonesia by default, English when chosen, and a catalog that covers every string."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parents[2] / "app" / "web"
CATALOG = WEB / "translations" / "id" / "LC_MESSAGES"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def test_pages_are_in_bahasa_indonesia_by_default(web):
    clerk = web.clerk(lang="id")
    page = clerk.page("/login")
    assert '<html lang="id">' in page and "<h1>Masuk</h1>" in page
    clerk.login("kpt")
    home = clerk.page("/")
    assert "Loket" in home and "Cari penduduk dengan NIK, nomor KK atau nama" in home


def test_english_is_chosen_with_the_language_switch_and_kept(web):
    clerk = web.clerk("kpt", lang="id")
    clerk.page("/")
    response = clerk.post("/language", {"lang": "en", "next": "/residents"})
    assert response.headers["Location"] == "/residents"
    assert "Find a resident" in clerk.page("/residents")
    assert "Find a resident" in clerk.page("/residents?q=x")  # kept in the session
    clerk.post("/logout")
    assert "<h1>Sign in</h1>" in clerk.page("/login")  # and across signing out


def test_registry_reasons_are_translated_when_the_catalog_knows_them(web):
    fifteen = dt.date.today() - dt.timedelta(days=15 * 365)
    nik = web.resident(status_perkawinan="BELUM KAWIN", tanggal_lahir=fifteen)
    page = web.clerk("kpt", lang="id").page(f"/residents/{nik}/apply")
    assert "belum berumur 17 tahun dan belum pernah kawin" in page


def _catalog():
    with (CATALOG / "messages.po").open("rb") as f:
        return read_po(f, locale="id")


def test_every_string_of_the_pages_is_in_the_catalog_and_translated():
    used = {message[2] for message in extract_from_dir(str(WEB), METHODS, KEYWORDS)}
    catalog = _catalog()
    known = {m.id for m in catalog if m.id}
    assert sorted(map(str, used - known)) == []
    untranslated = [m.id for m in catalog if m.id and not all(
        m.string if isinstance(m.string, tuple) else [m.string])]
    assert untranslated == []


def _plain(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_compiled_catalog_matches_the_source():
    with (CATALOG / "messages.mo").open("rb") as f:
        compiled = {_plain(m.id): _plain(m.string) for m in read_mo(f) if m.id}
    source = {_plain(m.id): _plain(m.string) for m in _catalog() if m.id}
    assert compiled == source, "run: pybabel compile -d app/web/translations -l id"
