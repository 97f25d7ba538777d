"""The card PDF: exact size, embedded fonts, every label and value as text, inside its box."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date

import pytest

from printing import (
    FieldDoesNotFitError,
    PhotoError,
    UnsupportedCharacterError,
    get_layout,
    plan_card,
    render_pdf,
)
from printing.plan import fixed_words

from .pdftools import char_boxes, fonts, page_size_mm, squash, text, text_in

OFFICIAL_LABELS = [
    "NIK", "Nama", "Tempat/Tgl Lahir", "Jenis Kelamin", "Gol. Darah", "Alamat", "RT/RW",
    "Kel/Desa", "Kecamatan", "Agama", "Status Perkawinan", "Pekerjaan", "Kewarganegaraan",
    "Berlaku Hingga",
]


def test_page_is_exactly_id1(card):
    width, height = page_size_mm(render_pdf(card))
    assert width == pytest.approx(85.60, abs=0.005)
    assert height == pytest.approx(53.98, abs=0.005)


def test_fonts_are_the_shipped_truetype_fonts_embedded(card):
    found = fonts(render_pdf(card))
    assert {f["base"].split("+")[-1] for f in found} == {"LiberationSans", "LiberationSans-Bold"}
    assert all(f["embedded"] for f in found)


def test_same_card_gives_the_same_bytes(card):
    assert render_pdf(card) == render_pdf(dataclasses.replace(card))


def test_different_cards_differ(card):
    assert render_pdf(card) != render_pdf(dataclasses.replace(card, nama="SITI AMINAH"))


def test_photo_jpeg_is_embedded_as_it_is(card):
    pdf = render_pdf(card)
    assert card.photo in pdf
    assert b"/DCTDecode" in pdf


def test_labels_in_official_order_and_values_present(card):
    extracted = text(render_pdf(card))
    positions = [extracted.index(label) for label in OFFICIAL_LABELS]
    assert positions == sorted(positions)
    for value in (
        "PROVINSI JAWA TENGAH", "KABUPATEN SRAGEN", "3314011708810001", "BUDI SANTOSO",
        "SRAGEN, 17-08-1981", "LAKI-LAKI", "O", "JL. RAYA SUKOWATI NO. 12", "001/002",
        "SRAGEN WETAN", "ISLAM", "KAWIN", "WIRASWASTA", "WNI", "SEUMUR HIDUP", "03-05-2012",
    ):
        assert value in extracted


def test_each_value_is_found_inside_its_own_box(longest_card):
    pdf = render_pdf(longest_card)
    layout = get_layout(longest_card.layout)
    for fitted in plan_card(longest_card).values:
        value = " ".join(line.text for line in fitted.lines)
        found = text_in(pdf, fitted.box, layout.height)
        assert squash(found) == squash(value), fitted.key


def test_no_character_leaves_its_box_or_the_card(longest_card):
    plan = plan_card(longest_card)
    boxes = [t.box for t in plan.values + plan.labels]
    chars = char_boxes(render_pdf(longest_card))
    assert len(chars) > 300
    for ch, glyph in chars:
        assert any(box.contains(glyph, tolerance=0.05) for box in boxes), ch
        assert plan.layout.card.contains(glyph)


def test_boxes_of_one_card_never_overlap(longest_card):
    plan = plan_card(longest_card)
    texts = plan.values + plan.labels
    layout = plan.layout
    fixed = [layout.photo, layout.signature, layout.barcode.box]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not a.box.overlaps(b.box), (a.key, b.key)
        for box in fixed:
            assert not a.box.overlaps(box), a.key
        assert a.extent().x >= a.box.x - 1e-6 and a.extent().right <= a.box.right + 1e-6


def test_blood_group_unknown_prints_a_dash(card):
    plan = plan_card(dataclasses.replace(card, golongan_darah="TIDAK TAHU"))
    assert {f.key: f.lines[0].text for f in plan.values}["golongan_darah"] == "-"


def test_longest_values_shrink_then_wrap(longest_card):
    fitted = {f.key: f for f in plan_card(longest_card).values}
    assert len(fitted["nama"].lines) == 2
    assert len(fitted["alamat"].lines) in (3, 4)
    assert len(fitted["kel_desa"].lines) == 2
    assert fitted["agama"].size < 6.0 and len(fitted["agama"].lines) == 1
    assert fitted["pekerjaan"].size < 6.0 and len(fitted["pekerjaan"].lines) == 1
    assert all(f.size >= 4.4 for f in fitted.values())


def test_short_values_keep_full_size_on_one_line(card):
    for fitted in plan_card(card).values:
        assert len(fitted.lines) == 1
        assert fitted.size == {"nik": 10.0, "provinsi": 7.0, "kabupaten": 7.0}.get(fitted.key, 6.0)


def test_value_that_cannot_fit_is_an_error_naming_the_field(card):
    with pytest.raises(FieldDoesNotFitError) as err:
        render_pdf(dataclasses.replace(card, alamat="W" * 120))
    assert err.value.field == "alamat"
    assert "Alamat" in str(err.value)


def test_word_longer_than_a_line_is_an_error(card):
    with pytest.raises(FieldDoesNotFitError) as err:
        render_pdf(dataclasses.replace(card, nama="A" * 60))
    assert "Nama" in str(err.value)


def test_character_the_font_lacks_is_an_error_naming_field_and_character(card):
    with pytest.raises(UnsupportedCharacterError) as err:
        render_pdf(dataclasses.replace(card, nama="BUDI 山田"))
    assert err.value.field == "nama" and err.value.char == "山"
    assert "Nama" in str(err.value) and "U+5C71" in str(err.value)


def test_control_characters_are_refused(card):
    with pytest.raises(UnsupportedCharacterError):
        render_pdf(dataclasses.replace(card, alamat="JL. MAWAR\x00 NO. 1"))


def test_accented_names_print_composed(card):
    decomposed = "JOSE\u0301 MU\u0308LLER"
    pdf = render_pdf(dataclasses.replace(card, nama=decomposed))
    assert "JOSÉ MÜLLER" in text(pdf)


def test_wna_card_has_english_labels_and_a_validity_date(card):
    wna = dataclasses.replace(
        card, layout="ktp-wna", kewarganegaraan="WNA", berlaku_hingga=date(2030, 1, 31)
    )
    extracted = text(render_pdf(wna))
    for label in ("Name", "Place/Date of Birth", "Sex", "Blood Type", "Address", "Religion",
                  "Marital Status", "Occupation", "Nationality", "Valid Until"):
        assert label in extracted
    assert "31-01-2030" in extracted and "Kewarganegaraan" not in extracted


def test_card_without_photo_or_signature_still_renders(card):
    bare = dataclasses.replace(card, photo=None, signature=None)
    assert "BUDI SANTOSO" in text(render_pdf(bare))


def test_photo_must_be_the_prepared_jpeg(card, signature_png):
    with pytest.raises(PhotoError):
        render_pdf(dataclasses.replace(card, photo=signature_png))


def test_labels_fit_their_boxes_in_every_layout():
    for name in ("ktp-wni", "ktp-wna"):
        layout = get_layout(name)
        tops = tuple(layout.rows.zone.y + i * 3 for i in range(len(layout.rows.rows)))
        words = fixed_words(name, tops)
        assert all(w.size >= 4.4 for w in words)


def test_rendering_from_several_threads_gives_the_same_bytes(card, longest_card):
    expected = {c.nama: render_pdf(c) for c in (card, longest_card)}
    results: list[bool] = []

    def work(c):
        for _ in range(10):
            results.append(render_pdf(c) == expected[c.nama])

    threads = [threading.Thread(target=work, args=(c,)) for c in (card, longest_card) * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 60 and all(results)
