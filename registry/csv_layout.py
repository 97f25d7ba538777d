"""The CSV column layout for import and export, close to a SIAK resident export.

One row per resident; dates ``DD-MM-YYYY``; the desa is given by its four code parts as SIAK
splits them (``NO_PROP`` 33, ``NO_KAB`` 14, ``NO_KEC`` 10, ``NO_KEL`` 2001). Old spellings of coded
values (``KATHOLIK``, ``BUDHA``) are accepted and stored in today's spelling.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# CSV column -> registry field (desa_code is assembled from the NO_* columns).
COLUMNS: dict[str, str] = {
    "NIK": "nik",
    "NO_KK": "kk",
    "NAMA_LGKP": "nama",
    "TMPT_LHR": "tempat_lahir",
    "TGL_LHR": "tanggal_lahir",
    "JENIS_KLMIN": "jenis_kelamin",
    "GOL_DRH": "golongan_darah",
    "AGAMA": "agama",
    "STAT_KWN": "status_perkawinan",
    "JENIS_PKRJN": "pekerjaan",
    "KWRNGRN": "kewarganegaraan",
    "TGL_AKH_ITAP": "itap_berlaku_hingga",
    "STAT_HBKEL": "hubungan_keluarga",
    "ALAMAT": "alamat",
    "NO_RT": "rt",
    "NO_RW": "rw",
    "NO_PROP": "desa_code",
    "NO_KAB": "desa_code",
    "NO_KEC": "desa_code",
    "NO_KEL": "desa_code",
    "STATUS_PDDK": "status",
}
HEADER = list(COLUMNS)
REQUIRED = [c for c in HEADER if c not in ("TGL_AKH_ITAP", "STATUS_PDDK")]
FIELD_COLUMN = {"desa_code": "NO_KEL", **{f: c for c, f in COLUMNS.items() if f != "desa_code"}}
_WIDTHS = {"NO_PROP": 2, "NO_KAB": 2, "NO_KEC": 2, "NO_KEL": 4}


def desa_code(row: Mapping[str, str]) -> str:
    parts = []
    for column, width in _WIDTHS.items():
        value = (row.get(column) or "").strip()
        parts.append(value.zfill(width) if value.isdigit() else value)
    return ".".join(parts)


def fields_of(row: Mapping[str, str]) -> dict[str, Any]:
    """Registry fields from one CSV row (values still raw text)."""
    fields = {f: (row.get(c) or "").strip() for c, f in COLUMNS.items() if f != "desa_code"}
    fields["desa_code"] = desa_code(row)
    return fields


def row_of(resident: Any, kk: str) -> list[str]:
    """One CSV row for a resident (export)."""
    prop, kab, kec, kel = resident.desa_code.split(".")
    itap = resident.itap_berlaku_hingga
    by_field = {
        "nik": resident.nik, "kk": kk, "nama": resident.nama,
        "tempat_lahir": resident.tempat_lahir,
        "tanggal_lahir": f"{resident.tanggal_lahir:%d-%m-%Y}",
        "jenis_kelamin": resident.jenis_kelamin, "golongan_darah": resident.golongan_darah,
        "agama": resident.agama, "status_perkawinan": resident.status_perkawinan,
        "pekerjaan": resident.pekerjaan, "kewarganegaraan": resident.kewarganegaraan,
        "itap_berlaku_hingga": f"{itap:%d-%m-%Y}" if itap else "",
        "hubungan_keluarga": resident.hubungan_keluarga, "alamat": resident.alamat,
        "rt": resident.rt, "rw": resident.rw, "status": resident.status,
    }
    codes = {"NO_PROP": prop, "NO_KAB": kab, "NO_KEC": kec, "NO_KEL": kel}
    return [codes[c] if c in codes else by_field[f] for c, f in COLUMNS.items()]
