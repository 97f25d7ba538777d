"""The KTP-el front (WNI and WNA) as data.

Order and wording of the labels follow UU 24/2013 Pasal 64(1) as listed in docs/domain.md.
Exact coordinates and fonts of the real blank are *unconfirmed*: the numbers below are a
measured approximation, kept here and nowhere else. Values are set in 6 pt and may shrink to
4.4 pt, then wrap onto as many lines as their row allows (`lines`).

The place of issue under the photo is the kabupaten/kota name (`JAKARTA SELATAN`, `SRAGEN`);
the longest real ones (`PENUKAL ABAB LEMATANG ILIR`, `KEP. SIAU TAGULANDANG BIARO`) take two
lines, bottom-aligned so that the name always sits just above the date of issue.

WNA cards carry English labels and an orange photo background (UU 24/2013 Pasal 64(7)b,
Dukcapil); the English wording and the Indonesian region header on a WNA card are *unconfirmed*.
"""

from __future__ import annotations

from ..layout import Barcode, Box, Cell, Layout, Row, Rows, Text, TextStyle

HEADER = TextStyle(font="bold", size=7.0, min_size=4.4, align="centre")
NIK = TextStyle(font="bold", size=10.0)
LABEL = TextStyle(size=6.0, min_size=4.4)
VALUE = TextStyle(size=6.0, min_size=4.4)
ISSUE = TextStyle(size=6.0, min_size=4.4, align="centre")
PLACE_OF_ISSUE = TextStyle(size=6.0, min_size=4.4, align="centre", max_lines=2, valign="bottom")

# Columns of the field list, mm from the card's left edge.
LABEL_X, LABEL_W, COLON_X, VALUE_X, VALUE_RIGHT = 3.0, 18.5, 21.6, 22.7, 60.4
ZONE = Box(2.8, 11.2, VALUE_RIGHT - 2.8, 41.5)

# key, label on a WNI card, label on a WNA card, value template, lines. Official order.
FIELDS = (
    ("nama", "Nama", "Name", "{nama}", 2),
    ("tempat_tgl_lahir", "Tempat/Tgl Lahir", "Place/Date of Birth",
     "{tempat_lahir}, {tanggal_lahir}", 2),
    ("jenis_kelamin", "Jenis Kelamin", "Sex", "{jenis_kelamin}", 1),
    ("alamat", "Alamat", "Address", "{alamat}", 4),
    ("rt_rw", "RT/RW", "RT/RW", "{rt}/{rw}", 1),
    ("kel_desa", "Kel/Desa", "Village", "{kel_desa}", 2),
    ("kecamatan", "Kecamatan", "District", "{kecamatan}", 2),
    ("agama", "Agama", "Religion", "{agama}", 1),
    ("status_perkawinan", "Status Perkawinan", "Marital Status", "{status_perkawinan}", 1),
    ("pekerjaan", "Pekerjaan", "Occupation", "{pekerjaan}", 1),
    ("kewarganegaraan", "Kewarganegaraan", "Nationality", "{kewarganegaraan}", 1),
    ("berlaku_hingga", "Berlaku Hingga", "Valid Until", "{berlaku_hingga}", 1),
)
# Gol. Darah shares the Jenis Kelamin line, to the right of it.
GOL_DARAH = ("golongan_darah", "Gol. Darah", "Blood Type", "{golongan_darah}")
JENIS_KELAMIN_RIGHT = 37.4
GOL_LABEL_X, GOL_LABEL_W, GOL_COLON_X, GOL_VALUE_X = 38.0, 11.0, 49.2, 50.3

PHOTO = Box(62.6, 7.5, 20.0, 26.667)
# Place and date of issue, centred under the photo: two lines of place at 4.4 pt, then the date.
ISSUE_X, ISSUE_W = 60.8, 23.6
PLACE_OF_ISSUE_BOX = Box(ISSUE_X, 34.3, ISSUE_W, 3.55)
DATE_OF_ISSUE_BOX = Box(ISSUE_X, 37.9, ISSUE_W, 2.05)
SIGNATURE = Box(62.6, 40.0, 20.0, 7.8)
BARCODE = Barcode("{nik}", Box(60.5, 48.2, 24.25, 4.5), module_px=2, quiet_modules=10)
LIGHT_BLUE = (0.87, 0.93, 0.98)


def _rows(english: bool) -> tuple[Row, ...]:
    pick = 2 if english else 1
    rows = []
    for field in FIELDS:
        key = field[0]
        right = JENIS_KELAMIN_RIGHT if key == "jenis_kelamin" else VALUE_RIGHT
        cells = [Cell(key, field[pick], field[3], LABEL_X, LABEL_W, COLON_X, VALUE_X, right)]
        if key == "jenis_kelamin":
            cells.append(Cell(GOL_DARAH[0], GOL_DARAH[pick], GOL_DARAH[3], GOL_LABEL_X,
                              GOL_LABEL_W, GOL_COLON_X, GOL_VALUE_X, VALUE_RIGHT))
        rows.append(Row(tuple(cells), lines=field[4]))
    return tuple(rows)


def _front(name: str, english: bool, photo_background: str) -> Layout:
    texts = (
        Text("provinsi", Box(2.0, 1.2, 81.6, 2.8), HEADER, "PROVINSI {provinsi}", name="Provinsi"),
        Text("kabupaten", Box(2.0, 4.1, 81.6, 2.8), HEADER, "{kabupaten}", name="Kabupaten/Kota"),
        Text("label:nik", Box(LABEL_X, 7.1, 9.6, 3.95), NIK, text="NIK", name="NIK"),
        Text("colon:nik", Box(12.8, 7.1, 1.4, 3.95), NIK, text=":", name="NIK"),
        Text("nik", Box(14.6, 7.1, 44.0, 3.95), NIK, "{nik}", name="NIK"),
        Text("tempat_terbit", PLACE_OF_ISSUE_BOX, PLACE_OF_ISSUE, "{tempat_terbit}",
             name="Tempat Terbit"),
        Text("tanggal_terbit", DATE_OF_ISSUE_BOX, ISSUE, "{tanggal_terbit}",
             name="Tanggal Terbit"),
    )
    rows = Rows(ZONE, _rows(english), LABEL, VALUE, line_height=2.4, max_gap=0.8)
    return Layout(
        name=name,
        texts=texts,
        rows=rows,
        photo=PHOTO,
        signature=SIGNATURE,
        barcode=BARCODE,
        photo_background=photo_background,
        background=LIGHT_BLUE,
    ).validate()


KTP_WNI = _front("ktp-wni", english=False, photo_background="birth-year")
KTP_WNA = _front("ktp-wna", english=True, photo_background="orange")
