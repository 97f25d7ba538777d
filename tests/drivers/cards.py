"""Test cards drawn with Pillow: a Code 128 barcode and a KTP-like layout.

The card renderer lives in the printing package, which the drivers must not know; these cards
only need to look enough like a KTP to exercise every panel.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from drivers import CARD_SIZE, CardJob, SidePanels

# Code 128 symbol widths (bar, space, bar, space, bar, space), values 0-105, then STOP.
CODE128 = [
    "212222",
    "222122",
    "222221",
    "121223",
    "121322",
    "131222",
    "122213",
    "122312",
    "132212",
    "221213",
    "221312",
    "231212",
    "112232",
    "122132",
    "122231",
    "113222",
    "123122",
    "123221",
    "223211",
    "221132",
    "221231",
    "213212",
    "223112",
    "312131",
    "311222",
    "321122",
    "321221",
    "312212",
    "322112",
    "322211",
    "212123",
    "212321",
    "232121",
    "111323",
    "131123",
    "131321",
    "112313",
    "132113",
    "132311",
    "211313",
    "231113",
    "231311",
    "112133",
    "112331",
    "132131",
    "113123",
    "113321",
    "133121",
    "313121",
    "211331",
    "231131",
    "213113",
    "213311",
    "213131",
    "311123",
    "311321",
    "331121",
    "312113",
    "312311",
    "332111",
    "314111",
    "221411",
    "431111",
    "111224",
    "111422",
    "121124",
    "121421",
    "141122",
    "141221",
    "112214",
    "112412",
    "122114",
    "122411",
    "142112",
    "142211",
    "241211",
    "221114",
    "413111",
    "241112",
    "134111",
    "111242",
    "121142",
    "121241",
    "114212",
    "124112",
    "124211",
    "411212",
    "421112",
    "421211",
    "212141",
    "214121",
    "412121",
    "111143",
    "111341",
    "131141",
    "114113",
    "114311",
    "411113",
    "411311",
    "113141",
    "114131",
    "311141",
    "411131",
    "211412",
    "211214",
    "211232",
]
STOP = "2331112"
START_B, START_C = 104, 105


def code128_values(text: str) -> list[int]:
    """Code set C for an even run of digits (a NIK), code set B otherwise; with checksum."""
    if text.isdigit() and len(text) % 2 == 0:
        values = [START_C] + [int(text[i : i + 2]) for i in range(0, len(text), 2)]
    else:
        values = [START_B] + [ord(ch) - 32 for ch in text]
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return [*values, check]


def draw_code128(
    draw: ImageDraw.ImageDraw, text: str, x: int, y: int, module: int, height: int
) -> int:
    """Draw black bars from (x, y); returns the x after the last bar."""
    widths = "".join(CODE128[v] for v in code128_values(text)) + STOP
    for index, width in enumerate(widths):
        w = int(width) * module
        if index % 2 == 0:
            draw.rectangle((x, y, x + w - 1, y + height - 1), fill=0)
        x += w
    return x


def ktp_front(nik: str = "3314011708800001") -> SidePanels:
    """Colour background and photo box, black text lines and the NIK as a Code 128 barcode."""
    colour = Image.new("RGB", CARD_SIZE, (255, 255, 255))
    paint = ImageDraw.Draw(colour)
    for x in range(CARD_SIZE[0]):
        shade = 150 + x * 100 // CARD_SIZE[0]
        paint.line((x, 0, x, CARD_SIZE[1]), fill=(shade, shade + 5, 255))
    paint.rectangle((760, 120, 960, 390), fill=(200, 30, 40))
    paint.ellipse((800, 150, 920, 280), fill=(230, 190, 160))
    black = Image.new("1", CARD_SIZE, 1)
    ink = ImageDraw.Draw(black)
    ink.text((40, 20), "PROVINSI JAWA TENGAH", fill=0)
    ink.text((40, 40), "KABUPATEN SRAGEN", fill=0)
    for line in range(12):
        ink.rectangle((40, 120 + line * 30, 40 + 300 + (line * 37) % 200, 132 + line * 30), fill=0)
    draw_code128(ink, nik, 60, 520, 3, 90)
    return SidePanels(k=black, colour=colour)


def barcode_side(value: str) -> SidePanels:
    black = Image.new("1", CARD_SIZE, 1)
    draw_code128(ImageDraw.Draw(black), value, 120, 200, 3, 200)
    return SidePanels(k=black)


def ktp_job(job_id: str = "job-1", *, back: bool = False) -> CardJob:
    back_side = barcode_side("KTP-BACK") if back else None
    return CardJob(job_id, ktp_front(), back_side)


def k_job(job_id: str = "k-1") -> CardJob:
    black = Image.new("1", CARD_SIZE, 1)
    ImageDraw.Draw(black).rectangle((100, 100, 400, 300), fill=0)
    return CardJob(job_id, SidePanels(k=black))
