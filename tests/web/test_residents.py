"""Finding, reading, registering and correcting residents at the counter."""

from __future__ import annotations

import datetime as dt
from html import unescape

from sqlalchemy import select

from registry import residents
from registry.models import Resident

FORM = {"nama": "Budi Santoso", "tempat_lahir": "SRAGEN", "tanggal_lahir": "1990-03-14",
        "jenis_kelamin": "LAKI-LAKI", "golongan_darah": "A", "agama": "ISLAM",
        "status_perkawinan": "BELUM KAWIN", "pekerjaan": "WIRASWASTA",
        "kewarganegaraan": "WNI", "alamat": "JL. RAYA SUKOWATI 5", "rt": "3", "rw": "4",
        "desa_code": "33.14.10.1001", "hubungan_keluarga": "KEPALA KELUARGA"}


def test_a_name_in_the_old_spelling_finds_the_new_one(web):
    web.resident(nama="SUKARNO HADI", jenis_kelamin="LAKI-LAKI", tanggal_lahir=dt.date(1970, 1, 1))
    page = web.clerk("kpt").page("/residents?q=soekarno")
    assert "SUKARNO HADI" in page and "1 resident found" in page


def test_a_full_nik_opens_the_resident(web):
    nik = web.resident()
    response = web.clerk("kpt").get(f"/residents?q={nik}")
    assert response.headers["Location"] == f"/residents/{nik}"


def test_a_kk_number_lists_the_family_and_links_the_card(web):
    nik = web.resident()
    with web.db.read() as session:
        kk = residents.get(session, nik).family.kk
    page = web.clerk("kpt").page(f"/residents?q={kk}")
    assert "SRI WAHYUNI" in page and f"/families/{kk}" in page


def test_an_unknown_name_suggests_registering(web):
    page = web.clerk("kpt").page("/residents?q=zzyzx")
    assert "0 residents found" in page and "Nobody in your office" in page


def test_the_search_can_be_narrowed_to_a_kecamatan(web):
    web.resident(nama="SRI KALIJAMBE", desa_code="33.14.01.2001")
    web.resident(nama="SRI KOTA")
    page = web.clerk("kpt").page("/residents?q=sri&area=33.14.01")
    assert "SRI KALIJAMBE" in page and "SRI KOTA" not in page


def test_the_resident_page_shows_family_cards_applications_and_changes(web):
    head = web.resident(nama="BAMBANG WIJAYA", jenis_kelamin="LAKI-LAKI")
    with web.db.read() as session:
        kk = residents.get(session, head).family.kk
    with web.db.write() as session:
        from tests.web.conftest import actor

        child = residents.register(session, actor("kpt"), {
            **FORM, "nama": "DEWI WIJAYA", "jenis_kelamin": "PEREMPUAN",
            "hubungan_keluarga": "ANAK", "tanggal_lahir": dt.date(2001, 5, 5)}, kk=kk).nik
        residents.update(session, actor("kpt"), head, {"pekerjaan": "WIRASWASTA"},
                         note="KTP lama")
    page = web.clerk("kpt").page(f"/residents/{head}")
    assert "DEWI WIJAYA" in page and child in page and "ANAK" in page
    assert "No card has been printed for this resident." in page
    assert "Occupation</span>: PETANI/PEKEBUN → WIRASWASTA" in page
    assert f'href="/residents/{head}/apply"' in page


def test_the_family_page_lists_the_members(web):
    nik = web.resident()
    with web.db.read() as session:
        kk = residents.get(session, nik).family.kk
    page = web.clerk("kpt").page(f"/families/{kk}")
    assert "SRI WAHYUNI" in page and "KEPALA KELUARGA" in page


def test_registering_allocates_a_nik(web):
    kpt = web.clerk("kpt")
    kpt.page("/residents/new")
    response = kpt.post("/residents/new", FORM)
    assert response.status_code == 302
    nik = response.headers["Location"].rsplit("/", 1)[1]
    assert nik.startswith("331410140390")  # kecamatan Sragen, born 14-03-90
    page = kpt.page(response.headers["Location"])
    assert "BUDI SANTOSO is registered with NIK" in page
    assert web.audit("resident.create", key=nik)


def test_a_possible_duplicate_is_shown_before_anything_is_saved(web):
    existing = web.resident(nama="BOEDI SANTOSO", jenis_kelamin="LAKI-LAKI",
                            tanggal_lahir=dt.date(1990, 3, 14))
    kpt = web.clerk("kpt")
    kpt.page("/residents/new")
    first = kpt.post("/residents/new", FORM)
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Possibly registered already" in page and existing in page
    assert 'name="confirm_duplicate"' in page
    assert len(web.audit("resident.create")) == 1
    confirmed = kpt.post("/residents/new", {**FORM, "confirm_duplicate": "y"})
    assert confirmed.status_code == 302
    assert web.audit("resident.create")[0].note == "registered despite duplicate candidates"


def test_wrong_fields_are_shown_next_to_the_field(web):
    kpt = web.clerk("kpt")
    kpt.page("/residents/new")
    response = kpt.post("/residents/new", {**FORM, "nama": "B@DI", "rt": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="nama-error"' in page and "may only contain letters" in page
    assert 'id="rt-error"' in page
    assert not web.audit("resident.create")


def test_a_member_joins_an_existing_family(web):
    head = web.resident()
    with web.db.read() as session:
        kk = residents.get(session, head).family.kk
    kpt = web.clerk("kpt")
    form = kpt.page(f"/residents/new?kk={kk}")
    assert f'value="{kk}"' in form
    data = {**FORM, "kk": kk, "hubungan_keluarga": "ANAK", "alamat": "", "rt": "", "rw": "",
            "desa_code": ""}
    response = kpt.post("/residents/new", data)
    assert response.status_code == 302
    with web.db.read() as session:
        member = residents.get(session, response.headers["Location"].rsplit("/", 1)[1])
        assert (member.family.kk, member.alamat) == (kk, "JL. SUKOWATI NO. 12")


def test_a_correction_records_the_changed_fields_and_its_basis(web):
    nik = web.resident()
    kpt = web.clerk("kpt")
    page = kpt.page(f"/residents/{nik}/edit")
    assert "static elements" in page and 'name="tanggal_lahir"' not in page
    with web.db.read() as session:
        version = residents.get(session, nik).version
    data = {"nama": "SRI WAHYUNI", "agama": "ISLAM", "status_perkawinan": "CERAI HIDUP",
            "pekerjaan": "PEDAGANG", "kewarganegaraan": "WNI", "alamat": "JL. SUKOWATI NO. 12",
            "rt": "1", "rw": "2", "desa_code": "33.14.10.1001",
            "hubungan_keluarga": "KEPALA KELUARGA", "status": "AKTIF", "version": str(version),
            "note": "AKTA CERAI 12/2026"}
    response = kpt.post(f"/residents/{nik}/edit", data)
    assert response.status_code == 302
    assert "Changed: Marital status, Occupation." in kpt.page(f"/residents/{nik}")
    entry = web.audit("resident.update", key=nik)[0]
    assert entry.changes == {"status_perkawinan": ["KAWIN", "CERAI HIDUP"],
                             "pekerjaan": ["PETANI/PEKEBUN", "PEDAGANG"]}
    assert entry.note == "AKTA CERAI 12/2026"


def test_a_correction_needs_its_basis_and_a_fresh_version(web):
    nik = web.resident()
    kpt = web.clerk("kpt")
    kpt.page(f"/residents/{nik}/edit")
    base = {"nama": "SRI WAHYUNI", "agama": "ISLAM", "status_perkawinan": "KAWIN",
            "pekerjaan": "PEDAGANG", "kewarganegaraan": "WNI", "alamat": "JL. SUKOWATI NO. 12",
            "rt": "1", "rw": "2", "desa_code": "33.14.10.1001",
            "hubungan_keluarga": "KEPALA KELUARGA", "status": "AKTIF", "version": "1"}
    no_basis = kpt.post(f"/residents/{nik}/edit", base)
    assert no_basis.status_code == 200 and 'id="note-error"' in no_basis.get_data(as_text=True)
    with web.db.write() as session:
        from tests.web.conftest import actor

        residents.update(session, actor("sragen"), nik, {"pekerjaan": "GURU"})
    stale = kpt.post(f"/residents/{nik}/edit", {**base, "note": "SK 1"})
    assert "was changed by someone else" in stale.get_data(as_text=True)
    with web.db.read() as session:
        assert residents.get(session, nik).pekerjaan == "GURU"


# Valid for the registry (letters, at most 60), too wide for the card's two lines of the name.
WIDE_NAME = "WWWWWWWWW MMMMMMMMM WWWWWWWWW MMMMMMMMM WWWWWWWWW MMMMMMMMM"
WIDE_ADDRESS = "W" * 120


def test_a_registration_the_card_cannot_print_is_refused_on_its_fields(web):
    kpt = web.clerk("kpt")
    kpt.page("/residents/new")
    response = kpt.post("/residents/new", {**FORM, "nama": WIDE_NAME, "alamat": WIDE_ADDRESS})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    for field, line in (("nama", "Nama"), ("alamat", "Alamat")):
        errors = page[page.index(f'id="{field}-error"'):]
        assert errors[:errors.index("</ul>")].count(
            f"Too long to print on the card (line “{line}”)") == 1
    assert 'id="tempat_lahir-error"' not in page
    assert not web.audit("resident.create")
    with web.db.read() as session:
        assert not session.scalar(select(Resident.id).where(Resident.nama == WIDE_NAME))


def test_card_misfits_are_said_in_indonesian(web):
    kpt = web.clerk("kpt", lang="id")
    kpt.page("/residents/new")
    response = kpt.post("/residents/new", {**FORM, "nama": WIDE_NAME})
    page = unescape(response.get_data(as_text=True))
    assert 'id="nama-error"' in page and "Terlalu panjang untuk dicetak pada kartu" in page
    assert "Too long" not in page and not web.audit("resident.create")


def test_a_correction_the_card_cannot_print_is_refused_and_nothing_saved(web):
    nik = web.resident()
    kpt = web.clerk("kpt")
    kpt.page(f"/residents/{nik}/edit")
    with web.db.read() as session:
        version = residents.get(session, nik).version
    data = {"nama": "SRI WAHYUNI", "agama": "ISLAM", "status_perkawinan": "KAWIN",
            "pekerjaan": "PEDAGANG", "kewarganegaraan": "WNI", "alamat": WIDE_ADDRESS,
            "rt": "1", "rw": "2", "desa_code": "33.14.10.1001",
            "hubungan_keluarga": "KEPALA KELUARGA", "status": "AKTIF", "version": str(version),
            "note": "KTP lama"}
    response = kpt.post(f"/residents/{nik}/edit", {**data, "nama": WIDE_NAME})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert 'id="nama-error"' in page and 'id="alamat-error"' in page
    assert "Too long to print on the card (line “Alamat”)" in page
    assert not web.audit("resident.update", key=nik)
    with web.db.read() as session:
        kept = residents.get(session, nik)
        assert (kept.nama, kept.pekerjaan) == ("SRI WAHYUNI", "PETANI/PEKEBUN")
    fixed = kpt.post(f"/residents/{nik}/edit", {**data, "alamat": "JL. SUKOWATI NO. 12"})
    assert fixed.status_code == 302  # what fits is saved
