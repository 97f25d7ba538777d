"""Registering and correcting at the counter as the registry and API already allow: a given
NIK's warnings shown, duplicates outside the clerk's area counted (never shown), and the head
of a family who leaves handing the role to a named member in the same change."""

from __future__ import annotations

import datetime as dt
from html import unescape

from registry import residents
from tests.registry.factories import resident_fields

from .conftest import actor
from .test_residents import FORM

UNKNOWN_KECAMATAN_NIK = "3314995708800001"  # kecamatan 33.14.99, a woman born 17-08-1980
KALIJAMBE_DESA = "33.14.01.2001"


def _section(page: str, start: str, end: str) -> str:
    page = unescape(page)
    return page[page.index(start):page.index(end, page.index(start))]


def test_a_given_niks_warning_is_flashed_on_the_registered_record(web):
    kpt = web.clerk("kpt")
    kpt.page("/residents/new")
    response = kpt.post("/residents/new", {
        **FORM, "nik": UNKNOWN_KECAMATAN_NIK, "jenis_kelamin": "PEREMPUAN",
        "tanggal_lahir": "1980-08-17", "nama": "SRI LESTARI"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/residents/{UNKNOWN_KECAMATAN_NIK}")
    page = unescape(kpt.page(response.headers["Location"]))
    warning = _section(page, 'class="flash flash-warning"', "</p>")
    assert 'role="alert"' in warning
    assert ("Registered, but check the NIK: kecamatan 33.14.99 is not in today's region list"
            in warning)
    again = kpt.post("/residents/new", {**FORM, "nama": "ANI"})  # no NIK given, no warning
    assert "flash-warning" not in kpt.page(again.headers["Location"])


def test_the_warnings_wrapper_is_said_in_indonesian(web):
    kpt = web.clerk("kpt", lang="id")
    kpt.page("/residents/new")
    response = kpt.post("/residents/new", {
        **FORM, "nik": UNKNOWN_KECAMATAN_NIK, "jenis_kelamin": "PEREMPUAN",
        "tanggal_lahir": "1980-08-17"})
    assert "Terdaftar, tetapi periksa NIK: kecamatan 33.14.99" in unescape(
        kpt.page(response.headers["Location"]))


def _theirs(web) -> str:
    """A resident of kecamatan Kalijambe who may be FORM's person (same name, birth, sex)."""
    return web.resident(nama="BOEDI SANTOSO", jenis_kelamin="LAKI-LAKI",
                        tanggal_lahir=dt.date(1990, 3, 14), desa_code=KALIJAMBE_DESA,
                        alamat="DUKUH KEDEN 3")


def test_a_duplicate_outside_the_clerks_area_is_counted_never_shown(web):
    theirs = _theirs(web)
    sragen = web.clerk("sragen")  # an operator of kecamatan Sragen (33.14.10)
    sragen.page("/residents/new")
    first = sragen.post("/residents/new", FORM)
    page = unescape(first.get_data(as_text=True))
    assert first.status_code == 200
    panel = _section(page, 'aria-labelledby="dup-title"', "</section>")
    assert ("1 possible match is registered outside your office's area (not shown): confirm "
            "only if you are sure this is a different person.") in panel
    assert "<table" not in panel and "<a " not in panel  # no blank rows, no broken links
    for secret in (theirs, "BOEDI", "DUKUH KEDEN", KALIJAMBE_DESA, "Keden"):
        assert secret not in page
    assert 'name="confirm_duplicate"' in page and len(web.audit("resident.create")) == 1
    confirmed = sragen.post("/residents/new", {**FORM, "confirm_duplicate": "y"})
    assert confirmed.status_code == 302


def test_visible_candidates_are_listed_beside_the_count_of_hidden_ones(web):
    theirs = _theirs(web)
    ours = web.resident(nama="BOEDI SANTOSO", jenis_kelamin="LAKI-LAKI",
                        tanggal_lahir=dt.date(1990, 3, 14))
    sragen = web.clerk("sragen", lang="id")
    sragen.page("/residents/new")
    panel = _section(sragen.post("/residents/new", FORM).get_data(as_text=True),
                     'aria-labelledby="dup-title"', "</section>")
    assert panel.count("<tr>") == 2 and f'href="/residents/{ours}"' in panel  # head + one row
    assert theirs not in panel
    assert ("1 kemungkinan kecocokan lain terdaftar di luar wilayah kantor Anda "
            "(tidak ditampilkan)") in panel


def _family(web) -> tuple[str, str]:
    """A KEPALA KELUARGA (SRI WAHYUNI) and their child (ANI), both active."""
    head = web.resident()
    with web.db.write() as session:
        kk = residents.get(session, head).family.kk
        child = residents.register(
            session, actor("kpt"), resident_fields(nama="ANI", tanggal_lahir=dt.date(2005, 1, 2),
                                                   status_perkawinan="BELUM KAWIN",
                                                   hubungan_keluarga="ANAK"),
            kk=kk, confirm_duplicate=True).nik
    return head, child


def _edit_form(web, nik: str, **changes) -> dict[str, str]:
    with web.db.read() as session:
        r = residents.get(session, nik)
        data = {**residents.as_dict(r), "version": str(r.version)}
    fields = ("nama", "agama", "status_perkawinan", "pekerjaan", "kewarganegaraan", "alamat",
              "rt", "rw", "desa_code", "hubungan_keluarga", "status", "version")
    return {**{f: data[f] for f in fields}, "note": "SURAT PINDAH 7/2026", **changes}


def test_only_the_head_of_a_family_with_other_members_is_offered_a_successor(web):
    head, child = _family(web)
    kpt = web.clerk("kpt")
    page = kpt.page(f"/residents/{head}/edit")
    assert '<label for="new_kepala_keluarga">' in page
    select = _section(page, 'id="new_kepala_keluarga" name="new_kepala_keluarga"', "</select>")
    assert f'value="{child}"' in select and f"ANI ({child})" in select
    assert f'value="{head}"' not in select
    assert 'name="new_kepala_keluarga"' not in kpt.page(f"/residents/{child}/edit")
    alone = web.resident(nama="JOKO", jenis_kelamin="LAKI-LAKI")
    assert 'name="new_kepala_keluarga"' not in kpt.page(f"/residents/{alone}/edit")


def test_the_head_moving_out_needs_a_successor_named_in_the_same_change(web):
    head, child = _family(web)
    kpt = web.clerk("kpt")
    kpt.page(f"/residents/{head}/edit")
    refused = kpt.post(f"/residents/{head}/edit", _edit_form(web, head, status="PINDAH"))
    page = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 200
    assert "without an active KEPALA KELUARGA" in _section(page, 'id="status-error"', "</ul>")
    assert not web.audit("resident.update")
    with web.db.read() as session:
        assert residents.get(session, head).status == "AKTIF"
    saved = kpt.post(f"/residents/{head}/edit",
                     _edit_form(web, head, status="PINDAH", new_kepala_keluarga=child))
    assert saved.status_code == 302
    shown = kpt.page(f"/residents/{head}")
    assert f"{child} is now the head of the family (KEPALA KELUARGA)." in shown
    with web.db.read() as session:
        assert residents.get(session, head).status == "PINDAH"
        assert residents.get(session, child).hubungan_keluarga == "KEPALA KELUARGA"
    [moved] = web.audit("resident.update", key=head)
    assert moved.changes == {"status": ["AKTIF", "PINDAH"]}
    assert moved.note == "SURAT PINDAH 7/2026"
    [successor] = web.audit("resident.update", key=child)
    assert successor.changes == {"hubungan_keluarga": ["ANAK", "KEPALA KELUARGA"]}


def test_a_successor_the_registry_refuses_is_shown_on_its_field(web):
    head, child = _family(web)
    kpt = web.clerk("kpt")
    kpt.page(f"/residents/{head}/edit")
    # The head stays head: naming a successor is refused, on the successor's field.
    refused = kpt.post(f"/residents/{head}/edit",
                       _edit_form(web, head, new_kepala_keluarga=child))
    page = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 200
    assert "stops being the active KEPALA KELUARGA" in _section(
        page, 'id="new_kepala_keluarga-error"', "</ul>")
    assert 'aria-describedby="new_kepala_keluarga-hint new_kepala_keluarga-error"' in page
    assert not web.audit("resident.update")
    with web.db.read() as session:
        assert residents.get(session, child).hubungan_keluarga == "ANAK"
