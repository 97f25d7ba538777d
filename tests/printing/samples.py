"""Cards, photos and signatures for the printing tests, made in memory."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image, ImageDraw

from printing import CardData

RED = (200, 30, 35)
BLUE = (30, 80, 200)
ORANGE = (240, 130, 20)

# The longest values the registry allows (nama 60, tempat_lahir 40, alamat 120, kel_desa and
# kecamatan 40), written as real words so they wrap like real data.
LONGEST = {
    "nama": "MUHAMMAD ABDURRAHMAN WAHYUDI NUGROHO SETIAWAN PRAWIROKUSUMOO",
    "tempat_lahir": "KABUPATEN ADMINISTRASI KEPULAUAN SERIBUU",
    "alamat": (
        "JL. PANGERAN DIPONEGORO GANG KENANGA III NO. 123 BLOK C/17, PERUMAHAN GRIYA "
        "SUKOWATI INDAH PERMAI TAHAP II, DUSUN KRAJAN"
    ),
    "kel_desa": "KAMPUANG TANJUANG KOTO MAMBANG SUNGAIDUR",
    "kecamatan": "BUAY PEMATANG RIBU RANAU TENGAH BARAT LA",
    "pekerjaan": "TENTARA NASIONAL INDONESIA (TNI)",
    "agama": "KEPERCAYAAN TERHADAP TUHAN YME",
    "status_perkawinan": "CERAI HIDUP",
    "golongan_darah": "AB+",
    "provinsi": "DAERAH KHUSUS IBUKOTA JAKARTA",
    "kabupaten": "KABUPATEN ADMINISTRASI KEPULAUAN SERIBU",
    "tempat_terbit": "KEPULAUAN SERIBU",
}


def portrait(
    background=RED, size=(600, 800), fmt="JPEG", exif=None, icc=None, comment=None
) -> bytes:
    """A synthetic head-and-shoulders photo: coloured background, dark hair and shirt."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.30, h * 0.12, w * 0.70, h * 0.55), fill=(20, 15, 10))
    draw.ellipse((w * 0.34, h * 0.20, w * 0.66, h * 0.60), fill=(225, 180, 150))
    draw.rectangle((w * 0.15, h * 0.68, w * 0.85, h), fill=(10, 10, 12))
    out = io.BytesIO()
    params = {}
    if exif is not None:
        params["exif"] = exif
    if icc is not None:
        params["icc_profile"] = icc
    if comment is not None:
        params["comment"] = comment
    image.save(out, fmt, **params)
    return out.getvalue()


def handwriting(size=(900, 300), paper=(235, 232, 225)) -> bytes:
    image = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(image)
    w, h = size
    points = [(w * 0.1 + i * w * 0.04, h * (0.5 + 0.25 * ((-1) ** i))) for i in range(20)]
    draw.line(points, fill=(20, 20, 60), width=6)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def make_card(**values) -> CardData:
    base = dict(
        nik="3314011708810001",
        nama="BUDI SANTOSO",
        tempat_lahir="SRAGEN",
        tanggal_lahir=date(1981, 8, 17),
        jenis_kelamin="LAKI-LAKI",
        golongan_darah="O",
        alamat="JL. RAYA SUKOWATI NO. 12",
        rt="1",
        rw="2",
        kel_desa="SRAGEN WETAN",
        kecamatan="SRAGEN",
        agama="ISLAM",
        status_perkawinan="KAWIN",
        pekerjaan="WIRASWASTA",
        kewarganegaraan="WNI",
        berlaku_hingga="SEUMUR HIDUP",
        provinsi="JAWA TENGAH",
        kabupaten="KABUPATEN SRAGEN",
        tempat_terbit="SRAGEN",
        tanggal_terbit=date(2012, 5, 3),
    )
    base.update(values)
    return CardData(**base)
