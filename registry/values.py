"""The closed vocabularies of a KTP record, as SIAK spells them.

Values arrive from clerks, CSV files and old SIAK exports; `normalise_*` maps the spellings
that real data carries (``KATHOLIK``, ``BUDHA``, lower case, stray spaces) onto the one
spelling the registry stores, so a value is compared and printed one way only.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

JENIS_KELAMIN = ("LAKI-LAKI", "PEREMPUAN")
AGAMA = (
    "ISLAM",
    "KRISTEN",
    "KATOLIK",
    "HINDU",
    "BUDDHA",
    "KHONGHUCU",
    "KEPERCAYAAN TERHADAP TUHAN YME",
)
BELUM_KAWIN = "BELUM KAWIN"
STATUS_PERKAWINAN = (BELUM_KAWIN, "KAWIN", "CERAI HIDUP", "CERAI MATI")
GOLONGAN_DARAH = (
    "A", "B", "AB", "O", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-", "TIDAK TAHU",
)
KEWARGANEGARAAN = ("WNI", "WNA")
HUBUNGAN_KELUARGA = (
    "KEPALA KELUARGA",
    "SUAMI",
    "ISTRI",
    "ANAK",
    "MENANTU",
    "CUCU",
    "ORANG TUA",
    "MERTUA",
    "FAMILI LAIN",
    "PEMBANTU",
    "LAINNYA",
)
KEPALA_KELUARGA = "KEPALA KELUARGA"

# Resident status: a card is only ever issued to an AKTIF resident.
AKTIF, PINDAH, MENINGGAL = "AKTIF", "PINDAH", "MENINGGAL"
STATUS_PENDUDUK = (AKTIF, PINDAH, MENINGGAL)

SEUMUR_HIDUP = "SEUMUR HIDUP"

# Spellings found in older SIAK data and paper forms, mapped to today's value.
_ALIASES = {
    "KATHOLIK": "KATOLIK",
    "KRISTEN KATOLIK": "KATOLIK",
    "KRISTEN PROTESTAN": "KRISTEN",
    "PROTESTAN": "KRISTEN",
    "BUDHA": "BUDDHA",
    "BUDA": "BUDDHA",
    "KONGHUCU": "KHONGHUCU",
    "KHONGHUCHU": "KHONGHUCU",
    "KONG HU CU": "KHONGHUCU",
    "KEPERCAYAAN": "KEPERCAYAAN TERHADAP TUHAN YME",
    "KEPERCAYAAN KEPADA TUHAN YME": "KEPERCAYAAN TERHADAP TUHAN YME",
    "LAKI LAKI": "LAKI-LAKI",
    "L": "LAKI-LAKI",
    "LK": "LAKI-LAKI",
    "P": "PEREMPUAN",
    "PR": "PEREMPUAN",
    "WANITA": "PEREMPUAN",
    "BELUM MENIKAH": "BELUM KAWIN",
    "MENIKAH": "KAWIN",
    "-": "TIDAK TAHU",
    "TDK TAHU": "TIDAK TAHU",
    "TIDAK DIKETAHUI": "TIDAK TAHU",
    "KEPALA": "KEPALA KELUARGA",
    "FAMILI": "FAMILI LAIN",
}


@cache
def pekerjaan() -> tuple[str, ...]:
    """The 89 occupation values of SIAK, in SIAK's own order."""
    with resources.files("registry").joinpath("data/pekerjaan.csv").open(encoding="utf-8") as f:
        return tuple(row["pekerjaan"] for row in csv.DictReader(f))


def canonical(value: str) -> str:
    """Upper-case, single-spaced, with known old spellings replaced."""
    text = " ".join(str(value).upper().split())
    return _ALIASES.get(text, text)


def allowed(field: str) -> tuple[str, ...]:
    """The allowed values of a coded field, by its registry name."""
    return {
        "jenis_kelamin": JENIS_KELAMIN,
        "agama": AGAMA,
        "status_perkawinan": STATUS_PERKAWINAN,
        "golongan_darah": GOLONGAN_DARAH,
        "kewarganegaraan": KEWARGANEGARAAN,
        "hubungan_keluarga": HUBUNGAN_KELUARGA,
        "status": STATUS_PENDUDUK,
        "pekerjaan": pekerjaan(),
    }[field]


CODED_FIELDS = (
    "jenis_kelamin",
    "agama",
    "status_perkawinan",
    "golongan_darah",
    "kewarganegaraan",
    "hubungan_keluarga",
    "status",
    "pekerjaan",
)
