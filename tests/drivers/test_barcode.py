"""The card the virtual printer writes is a card a scanner can read."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from drivers import CardJob, open_printer
from drivers.virtual import VirtualPrinter
from tests.drivers.cards import barcode_side, ktp_front

NIK = "3314011708800001"


def decode(path) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(path))]


def test_the_test_barcode_itself_decodes():
    image = barcode_side(NIK).k.convert("L")
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [NIK]


@pytest.mark.parametrize("value", [NIK, "KTP-42/2024"])
def test_png_of_a_printed_card_decodes_to_the_barcode_value(
    connect, vprinter: VirtualPrinter, value
):
    with connect() as printer:
        printer.print_card(CardJob("job-barcode", barcode_side(value)))
    png = vprinter.log.folder / vprinter.printed()[-1]["sides"][0]["png"]
    assert decode(png) == [value]


def test_ktp_front_keeps_barcode_readable_over_colour(in_process, vprinter: VirtualPrinter):
    with open_printer(in_process) as printer:
        printer.print_card(CardJob("ktp-1", ktp_front(NIK)))
    entry = vprinter.printed()[-1]
    png = vprinter.log.folder / entry["sides"][0]["png"]
    assert NIK in decode(png)
    card = np.asarray(Image.open(png))
    assert card.shape == (638, 1011, 3)  # the ID-1 card at 300 dpi, the bleed cut off
    assert Image.open(png).info["dpi"] == pytest.approx((300, 300), abs=0.01)
    red, green, blue = card[300, 900].astype(int)  # inside the red photo box of ktp_front
    assert red > 190 and green < 60 and blue < 70
