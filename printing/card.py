"""`CardData`: the plain values one card is printed from, and how each is written on a KTP.

`app/` builds a `CardData` from a resident record; `printing` never sees the database. Values
are validated here only as far as printing needs (enumerations printed verbatim, dates, a
16-digit NIK for the barcode); the registry owns the rest of the rules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .errors import InvalidCardDataError

DEFAULT_LAYOUT = "ktp-wni"

JENIS_KELAMIN = ("LAKI-LAKI", "PEREMPUAN")
GOLONGAN_DARAH = (
    "A", "B", "AB", "O",
    "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-",
    "TIDAK TAHU",
)
KEWARGANEGARAAN = ("WNI", "WNA")
SEUMUR_HIDUP = "SEUMUR HIDUP"

_NIK = re.compile(r"[0-9]{16}")
_RT_RW = re.compile(r"[0-9]{1,3}")


@dataclass(frozen=True)
class CardData:
    """Everything printed on one card, as plain values (strings, dates, image bytes).

    `photo` is the JPEG made by `prepare_photo` (embedded in the PDF as it is); `signature` the
    PNG made by `prepare_signature`. `layout` names an entry of `printing.LAYOUTS`.
    """

    nik: str
    nama: str
    tempat_lahir: str
    tanggal_lahir: date
    jenis_kelamin: str
    golongan_darah: str
    alamat: str
    rt: str
    rw: str
    kel_desa: str
    kecamatan: str
    agama: str
    status_perkawinan: str
    pekerjaan: str
    kewarganegaraan: str
    berlaku_hingga: str | date
    provinsi: str
    kabupaten: str
    tempat_terbit: str
    tanggal_terbit: date
    photo: bytes | None = field(default=None, repr=False)
    signature: bytes | None = field(default=None, repr=False)
    layout: str = DEFAULT_LAYOUT

    def __post_init__(self) -> None:
        if not isinstance(self.nik, str) or not _NIK.fullmatch(self.nik):
            raise InvalidCardDataError("nik", self.nik, "16 digits")
        _one_of("jenis_kelamin", self.jenis_kelamin, JENIS_KELAMIN)
        _one_of("golongan_darah", self.golongan_darah, GOLONGAN_DARAH)
        _one_of("kewarganegaraan", self.kewarganegaraan, KEWARGANEGARAAN)
        for name in ("tanggal_lahir", "tanggal_terbit"):
            if not isinstance(getattr(self, name), date):
                raise InvalidCardDataError(name, getattr(self, name), "a date")
        if not (self.berlaku_hingga == SEUMUR_HIDUP or isinstance(self.berlaku_hingga, date)):
            raise InvalidCardDataError(
                "berlaku_hingga", self.berlaku_hingga, f"{SEUMUR_HIDUP!r} or a date"
            )
        for name in ("rt", "rw"):
            if not _RT_RW.fullmatch(str(getattr(self, name))):
                raise InvalidCardDataError(name, getattr(self, name), "1 to 3 digits")
        for name in ("photo", "signature"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bytes):
                raise InvalidCardDataError(name, type(value).__name__, "bytes or None")


def _one_of(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidCardDataError(name, value, "one of " + ", ".join(allowed))


def printed_values(card: CardData, date_format: str) -> dict[str, str]:
    """The card's values as printed, keyed by name, for the layout's templates.

    Text is NFC-normalised and its whitespace collapsed, so a name typed with combining accents
    or double spaces prints (and measures) like its composed form.
    """
    values = {
        name: _clean(getattr(card, name))
        for name in (
            "nik", "nama", "tempat_lahir", "jenis_kelamin", "alamat", "kel_desa", "kecamatan",
            "agama", "status_perkawinan", "pekerjaan", "kewarganegaraan", "provinsi",
            "kabupaten", "tempat_terbit",
        )
    }
    values["tanggal_lahir"] = card.tanggal_lahir.strftime(date_format)
    values["tanggal_terbit"] = card.tanggal_terbit.strftime(date_format)
    values["golongan_darah"] = "-" if card.golongan_darah == "TIDAK TAHU" else card.golongan_darah
    values["rt"] = str(card.rt).zfill(3)
    values["rw"] = str(card.rw).zfill(3)
    hingga = card.berlaku_hingga
    values["berlaku_hingga"] = hingga.strftime(date_format) if isinstance(hingga, date) else hingga
    return values


def _clean(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value)).split())
