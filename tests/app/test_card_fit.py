"""`app.cards` before and around a card: the place of issue, and whether values fit the card
before a resident is saved."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from app.cards import card_misfit_errors, card_misfits, place_of_issue
from registry.regions import Place

WILAYAH = Path(__file__).resolve().parents[2] / "registry" / "data" / "wilayah.csv"
WIDE_NAME = " ".join(["WWWWWWWWW MMMMMMMMM"] * 3)  # 59 characters: valid, but too wide
RESIDENT = {
    "nama": "Sri Wahyuni", "tempat_lahir": "SRAGEN", "tanggal_lahir": "1980-08-17",
    "jenis_kelamin": "PEREMPUAN", "golongan_darah": "O", "agama": "ISLAM",
    "status_perkawinan": "KAWIN", "pekerjaan": "PETANI/PEKEBUN", "alamat": "JL. SUKOWATI 12",
    "rt": "1", "rw": "2", "desa_code": "33.14.10.1001",
}


def kabupaten_names() -> list[str]:
    with WILAYAH.open(newline="") as f:
        return [row["nama"] for row in csv.DictReader(f) if row["level"] == "2"]


@pytest.mark.parametrize(("kabupaten", "printed"), [
    ("Kabupaten Sragen", "SRAGEN"),
    ("Kota Surakarta", "SURAKARTA"),
    ("Kota Administrasi Jakarta Selatan", "JAKARTA SELATAN"),
    ("Kota Administrasi Jakarta Utara ", "JAKARTA UTARA"),
    ("Kabupaten Administrasi Kepulauan Seribu", "KEPULAUAN SERIBU"),
    ("Kota Kotamobagu", "KOTAMOBAGU"),
    ("Kabupaten Kotawaringin Barat", "KOTAWARINGIN BARAT"),
])
def test_place_of_issue_is_the_kabupaten_or_kota_by_its_own_name(kabupaten, printed):
    assert place_of_issue(kabupaten) == printed


def test_every_kabupaten_and_kota_gets_a_card():
    """The place of issue of each of the 514 kabupaten/kota prints (14 of them could not)."""
    names = kabupaten_names()
    assert len(names) == 514
    for name in names:
        issued = place_of_issue(name)
        assert not issued.startswith(("KABUPATEN ", "KOTA ", "ADMINISTRASI ")), name
        place = Place(desa_code="", desa="A", kecamatan="A", kabupaten=name, provinsi="A")
        assert card_misfits(RESIDENT, place=place) == [], name


def test_values_that_fit_have_no_misfits():
    assert card_misfits(RESIDENT) == []
    assert card_misfits({}) == []
    assert card_misfits({"nama": "MUHAMMAD ABDURRAHMAN WAHYUDI NUGROHO SETIAWAN PRAWIROKUSUMOO",
                         "alamat": "JL. " + "PANGERAN DIPONEGORO " * 5}) == []


def test_a_valid_name_too_wide_for_the_card_is_named_before_saving():
    assert len(WIDE_NAME) == 59
    [(field, message)] = card_misfits({**RESIDENT, "nama": WIDE_NAME})
    assert field == "nama"
    assert "Nama is too long to print on the card" in message


def test_every_misfit_is_named_by_its_resident_field():
    values = {**RESIDENT, "nama": WIDE_NAME, "alamat": "W" * 120, "tempat_lahir": "W" * 40}
    assert [field for field, _ in card_misfits(values)] == ["nama", "tempat_lahir", "alamat"]
    errors = dict(card_misfit_errors(values))
    assert errors["alamat"].code == "field-too-long"
    assert errors["alamat"].params["label"] == "Alamat"


def test_values_are_judged_as_the_registry_stores_them():
    """Lower case is stored upper case (wider); values the registry refuses are its to report."""
    assert card_misfits({"nama": WIDE_NAME.lower()}) == card_misfits({"nama": WIDE_NAME})
    assert card_misfits({"tanggal_lahir": "not a date", "jenis_kelamin": "?", "rt": "x"}) == []


def test_a_wna_card_and_an_edit_with_one_field():
    wna = {**RESIDENT, "kewarganegaraan": "WNA", "itap_berlaku_hingga": dt.date(2030, 5, 1)}
    assert card_misfits(wna) == []
    assert [f for f, _ in card_misfits({"alamat": "W" * 120})] == ["alamat"]
