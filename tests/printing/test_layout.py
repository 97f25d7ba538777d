"""Layouts are data: checked once for geometry, and every allowed value fits them."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from printing import LAYOUTS, Layout, LayoutError, get_layout, plan_card, render_pdf
from printing.card import printed_values
from printing.layout import Barcode, Box, Row, Rows, Text, TextStyle

from .samples import make_card

REGISTRY_DATA = Path(__file__).resolve().parents[2] / "registry" / "data"
AGAMA = ("ISLAM", "KRISTEN", "KATOLIK", "HINDU", "BUDDHA", "KHONGHUCU",
         "KEPERCAYAAN TERHADAP TUHAN YME")


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layout_boxes_are_on_the_card_and_apart(name):
    layout = get_layout(name)
    assert layout.validate() is layout
    assert layout.width == 85.60 and layout.height == 53.98


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_photo_box_is_three_by_four(name):
    photo = get_layout(name).photo
    assert photo.w / photo.h == pytest.approx(3 / 4, rel=1e-3)


def test_unknown_layout_is_a_clear_error():
    with pytest.raises(LayoutError, match="ktp-wni"):
        get_layout("ktp-bali")


def test_overlapping_boxes_are_refused():
    layout = get_layout("ktp-wni")
    broken = dataclasses.replace(layout, signature=layout.photo)
    with pytest.raises(LayoutError, match="overlap"):
        broken.validate()


def test_box_off_the_card_is_refused():
    layout = get_layout("ktp-wni")
    with pytest.raises(LayoutError, match="leaves the card"):
        dataclasses.replace(layout, photo=Box(70, 30, 20, 26.67)).validate()


def test_rows_that_cannot_hold_their_longest_values_are_refused():
    layout = get_layout("ktp-wni")
    rows: Rows = layout.rows
    greedy = dataclasses.replace(rows, rows=tuple(Row(r.cells, lines=4) for r in rows.rows))
    with pytest.raises(LayoutError, match="most lines"):
        dataclasses.replace(layout, rows=greedy).validate()


def test_every_agama_fits_on_one_line():
    for agama in AGAMA:
        fitted = {f.key: f for f in plan_card(make_card(agama=agama)).values}
        assert len(fitted["agama"].lines) == 1


def test_every_siak_pekerjaan_fits_on_one_line():
    path = REGISTRY_DATA / "pekerjaan.csv"
    if not path.exists():
        pytest.skip("registry/data/pekerjaan.csv not present")
    with path.open(newline="") as f:
        values = [row["pekerjaan"] for row in csv.DictReader(f)]
    assert len(values) == 89
    for pekerjaan in values:
        fitted = {f.key: f for f in plan_card(make_card(pekerjaan=pekerjaan)).values}
        assert len(fitted["pekerjaan"].lines) == 1, pekerjaan


def test_longest_real_region_names_fit():
    path = REGISTRY_DATA / "wilayah.csv"
    if not path.exists():
        pytest.skip("registry/data/wilayah.csv not present")
    names: dict[str, list[str]] = {"1": [], "2": [], "3": [], "4": []}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            names[row["level"]].append(row["nama"].upper())
    longest = {level: sorted(values, key=len)[-25:] for level, values in names.items()}
    for provinsi, kabupaten, kecamatan, desa in zip(*longest.values(), strict=True):
        card = make_card(provinsi=provinsi, kabupaten=kabupaten, kecamatan=kecamatan,
                         kel_desa=desa, tempat_lahir=kabupaten.removeprefix("KABUPATEN "))
        plan_card(card)


def test_printed_values_follow_the_card_conventions():
    values = printed_values(make_card(rt="7", rw="12", golongan_darah="TIDAK TAHU"), "%d-%m-%Y")
    assert values["rt"] == "007" and values["rw"] == "012"
    assert values["golongan_darah"] == "-"
    assert values["tanggal_lahir"] == "17-08-1981"


def test_label_too_long_for_its_column_is_refused():
    layout = get_layout("ktp-wni")
    first = layout.rows.rows[0]
    cell = dataclasses.replace(first.cells[0], label="Nama Lengkap Sesuai Akta Kelahiran Resmi")
    rows = dataclasses.replace(
        layout.rows, rows=(Row((cell,), first.lines), *layout.rows.rows[1:])
    )
    with pytest.raises(LayoutError, match="label of nama"):
        dataclasses.replace(layout, rows=rows).validate()


def test_cells_sharing_a_row_may_not_overlap():
    layout = get_layout("ktp-wni")
    jk_row = layout.rows.rows[2]
    jk, gol = jk_row.cells
    wide = dataclasses.replace(jk, value_right=gol.label_x + 2)
    rows = list(layout.rows.rows)
    rows[2] = Row((wide, gol), jk_row.lines)
    broken = dataclasses.replace(layout, rows=dataclasses.replace(layout.rows, rows=tuple(rows)))
    with pytest.raises(LayoutError, match="columns of golongan_darah"):
        broken.validate()


def test_a_new_card_side_is_a_new_layout_value_not_new_code(monkeypatch, card):
    back = Layout(
        name="test-back",
        texts=(
            Text("title", Box(3, 3, 79.6, 4), TextStyle(font="bold", size=9, align="centre"),
                 text="KARTU TANDA PENDUDUK"),
            Text("nama", Box(3, 10, 79.6, 4), TextStyle(size=7, min_size=5, align="centre"),
                 "{nama}", name="Nama"),
        ),
        barcode=Barcode("{nik}", Box(30, 40, 24.25, 6)),
        background=None,
    ).validate()
    monkeypatch.setitem(LAYOUTS, back.name, back)
    pdf = render_pdf(dataclasses.replace(card, layout=back.name))
    page = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "KARTU TANDA PENDUDUK" in page and card.nama in page
    assert "Nama" not in page
