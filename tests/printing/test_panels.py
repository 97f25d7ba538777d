"""Printer panels from the PDF: the split rule, sizes, bleed, and no K speckle in the photo."""

from __future__ import annotations

import dataclasses
import io
import threading

import numpy as np
from PIL import Image

from printing import (
    get_layout,
    iter_panels,
    panels_from_pdf,
    render_panels,
    render_pdf,
    render_png,
    write_batch_pdf,
)
from printing.layout import MM_PER_INCH, PRINTER_DPI, Box
from printing.panels import BITMAP_HEIGHT, BITMAP_WIDTH, split

LEFT, TOP = 2, 5  # where the 1011 x 638 card sits in the 1016 x 648 bitmap
PER_MM = PRINTER_DPI / MM_PER_INCH


def _px(box: Box) -> tuple[slice, slice]:
    return (slice(TOP + round(box.y * PER_MM), TOP + round(box.bottom * PER_MM)),
            slice(LEFT + round(box.x * PER_MM), LEFT + round(box.right * PER_MM)))


def test_panels_are_printer_sized_and_typed(card):
    panels = render_panels(card)
    assert (panels.k.mode, panels.colour.mode, panels.overlay.mode) == ("1", "RGB", "1")
    for image in (panels.k, panels.colour, panels.overlay):
        assert image.size == (BITMAP_WIDTH, BITMAP_HEIGHT) == (1016, 648)


def test_text_is_resin_and_knocked_out_of_the_colour(card):
    panels = render_panels(card)
    k = np.array(panels.k) == 0
    colour = np.array(panels.colour)
    layout = get_layout(card.layout)
    nik_box = next(t.box for t in layout.texts if t.key == "nik")
    assert k[_px(nik_box)].mean() > 0.15
    assert (colour[k] == 255).all()


def test_dark_photo_pixels_never_become_resin(card):
    panels = render_panels(card)
    photo = _px(get_layout(card.layout).photo)
    k = np.array(panels.k) == 0
    colour = np.array(panels.colour)
    assert not k[photo].any()
    assert (colour[photo].max(axis=2) < 40).mean() > 0.1  # hair and shirt stay in colour


def test_signature_image_goes_to_colour(card):
    panels = render_panels(card)
    signature = _px(get_layout(card.layout).signature)
    assert not (np.array(panels.k) == 0)[signature].any()
    assert (np.array(panels.colour)[signature].max(axis=2) < 100).any()


def test_background_is_dye_and_bleeds_to_the_bitmap_edge(card):
    colour = np.array(render_panels(card).colour).astype(int)
    tint = colour[TOP + 2, LEFT + 2]
    assert tuple(tint) != (255, 255, 255)
    assert (colour[0, 0] == tint).all() and (colour[-1, -1] == colour[TOP + 637, LEFT + 1010]).all()
    assert (colour[:TOP, LEFT + 100] == colour[TOP, LEFT + 100]).all()


def test_overlay_covers_the_whole_card(card):
    assert not np.array(render_panels(card).overlay).any()


def test_split_rule_on_pixels():
    rgbx = np.full((4, 8, 4), 255, dtype=np.uint8)
    rgbx[0, 0, :3] = (0, 0, 0)  # black text: K
    rgbx[0, 1, :3] = (63, 63, 63)  # near-black: K
    rgbx[0, 2, :3] = (64, 20, 20)  # dark red: colour
    rgbx[0, 3, :3] = (0, 0, 90)  # navy: colour
    rgbx[2, 6, :3] = (0, 0, 0)  # black inside an image box: colour
    panels = split(rgbx, images=[(5, 1, 8, 4)], holes=[(0, 3, 2, 4)])
    k = np.array(panels.k) == 0
    assert k.sum() == 2 and k[0, 0] and k[0, 1]
    colour = np.array(panels.colour)
    assert (colour[0, 0] == 255).all() and tuple(colour[0, 2]) == (64, 20, 20)
    assert tuple(colour[2, 6]) == (0, 0, 0)
    overlay = np.array(panels.overlay)
    assert overlay[3, 0] and overlay[3, 1] and not overlay[0, 0]


def test_panels_of_a_batch_page_equal_the_single_card(card):
    out = io.BytesIO()
    write_batch_pdf([card, card], out)
    from_batch = panels_from_pdf(out.getvalue(), index=1)
    single = render_panels(card)
    assert np.array_equal(np.array(from_batch.k), np.array(single.k))
    assert np.array_equal(np.array(from_batch.colour), np.array(single.colour))


def test_iter_panels_walks_a_batch_file_page_by_page(card, tmp_path):
    other = dataclasses.replace(card, nama="SITI AMINAH")
    path = tmp_path / "batch.pdf"
    with path.open("wb") as out:
        write_batch_pdf([card, other, card], out)
    panels = list(iter_panels(str(path)))
    assert len(panels) == 3
    assert np.array_equal(np.array(panels[1].k), np.array(render_panels(other).k))
    assert not np.array_equal(np.array(panels[0].k), np.array(panels[1].k))


def test_png_preview_is_the_card_at_300_dpi(card):
    image = Image.open(io.BytesIO(render_png(card)))
    assert image.format == "PNG" and image.size == (1011, 638)  # 85.60 x 53.98 mm, rounded
    assert [round(v) for v in image.info["dpi"]] == [300, 300]


def test_panels_can_be_made_from_several_threads(card):
    pdf = render_pdf(card)
    expected = np.array(panels_from_pdf(pdf).k)
    results, errors = [], []

    def work():
        try:
            for _ in range(5):
                results.append(np.array_equal(np.array(panels_from_pdf(pdf).k), expected))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and all(results) and len(results) == 20
