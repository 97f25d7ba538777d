"""Layouts are data: checked once for geometry, and every allowed value fits them."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from printing import (
    LAYOUTS,
    Layout,
    LayoutError,
    get_layout,
    plan_card,
    render_pdf,
    write_batch_pdf,
)
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


def region_names() -> dict[str, list[str]]:
    path = REGISTRY_DATA / "wilayah.csv"
    if not path.exists():
        pytest.skip("registry/data/wilayah.csv not present")
    names: dict[str, list[str]] = {"1": [], "2": [], "3": [], "4": []}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            names[row["level"]].append(" ".join(row["nama"].upper().split()))
    return names


def test_longest_real_region_names_fit():
    names = region_names()
    longest = {level: sorted(values, key=len)[-25:] for level, values in names.items()}
    for provinsi, kabupaten, kecamatan, desa in zip(*longest.values(), strict=True):
        card = make_card(provinsi=provinsi, kabupaten=kabupaten, kecamatan=kecamatan,
                         kel_desa=desa, tempat_lahir=kabupaten.removeprefix("KABUPATEN "))
        plan_card(card)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_kabupaten_and_kota_can_be_the_place_of_issue(layout):
    """All 514 kabupaten/kota of the region list as header and place of issue, the latter
    even with its kind left in but for KABUPATEN/KOTA (``ADMINISTRASI KEPULAUAN SERIBU``, longer
    than the ``KEPULAUAN SERIBU`` the app prints): each card plans and the batch renders, the
    place stays in its box, above the date of issue and below the photo."""
    kabupaten = region_names()["2"]
    assert len(kabupaten) == 514
    plans, cards = [], []
    for name in kabupaten:
        place = name.removeprefix("KABUPATEN ").removeprefix("KOTA ")
        card = make_card(kabupaten=name, tempat_terbit=place, layout=layout)
        plans.append(plan_card(card))
        cards.append(card)
    geometry = get_layout(layout)
    place_box = next(t.box for t in geometry.fields if t.key == "tempat_terbit")
    date_box = next(t.box for t in geometry.fields if t.key == "tanggal_terbit")
    for plan in plans:
        fitted = {f.key: f for f in plan.values}["tempat_terbit"]
        extent = fitted.extent()
        assert place_box.contains(extent), fitted
        assert geometry.photo.bottom < extent.y and extent.bottom <= date_box.y + 1e-6
    out = io.BytesIO()
    write_batch_pdf(cards, out)
    assert len(pdfium.PdfDocument(out.getvalue())) == len(kabupaten)


def test_a_short_place_of_issue_sits_just_above_the_date():
    layout = get_layout("ktp-wni")
    date_box = next(t.box for t in layout.fields if t.key == "tanggal_terbit")
    short = {f.key: f for f in plan_card(make_card(tempat_terbit="SRAGEN")).values}
    long = {f.key: f for f in plan_card(
        make_card(tempat_terbit="KEP. SIAU TAGULANDANG BIARO")).values}
    assert len(short["tempat_terbit"].lines) == 1 and short["tempat_terbit"].size == 6.0
    assert len(long["tempat_terbit"].lines) == 2
    for fitted in (short["tempat_terbit"], long["tempat_terbit"]):
        assert date_box.y - fitted.extent().bottom < 0.35


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
