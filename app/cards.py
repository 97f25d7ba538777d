"""One resident becomes one card by one path: registry record -> `printing.CardData` -> PDF,
PNG or printer panels -> `drivers.CardJob`. The API, the CLI, the counter pages and the batch
worker all come through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

import drivers
import printing
from registry import images, regions
from registry.models import PHOTO, SIGNATURE, Resident, ResidentImage
from registry.validation import cleaner, parse_date
from registry.values import SEUMUR_HIDUP

# Longest first: "Kota Administrasi Jakarta Selatan" is issued in "JAKARTA SELATAN".
_KINDS = ("KABUPATEN ADMINISTRASI ", "KOTA ADMINISTRASI ", "KABUPATEN ", "KOTA ")


def place_of_issue(kabupaten: str) -> str:
    """The place of issue printed under the photo: the kabupaten or kota by its own name, as
    real KTPs print it (``SRAGEN``, ``JAKARTA SELATAN``, ``KEPULAUAN SERIBU``), without its kind
    (``KABUPATEN``, ``KOTA``, ``KOTA ADMINISTRASI``)."""
    name = " ".join(kabupaten.split()).upper()
    for kind in _KINDS:
        if name.startswith(kind):
            return name[len(kind):]
    return name


@dataclass(frozen=True)
class CardSources:
    """The images a card was made from, so a printed card can name them."""

    photo: ResidentImage | None
    signature: ResidentImage | None


def card_data(session: Session, resident: Resident, *, issued_on: dt.date | None = None,
              sources: CardSources | None = None,
              place: regions.Place | None = None) -> printing.CardData:
    """The card of ``resident`` as plain values, with the current photo and signature.
    ``place``: the names of the resident's desa, when the caller knows them."""
    sources = sources or current_sources(session, resident)
    place = place or regions.place(session, resident.desa_code)
    return _card({f: getattr(resident, f) for f in _CARD_FIELDS}, place,
                 issued_on or dt.date.today(),
                 photo=sources.photo.data if sources.photo else None,
                 signature=sources.signature.data if sources.signature else None)


_CARD_FIELDS = (
    "nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "golongan_darah",
    "alamat", "rt", "rw", "agama", "status_perkawinan", "pekerjaan", "kewarganegaraan",
    "itap_berlaku_hingga",
)


def _card(fields: Mapping[str, Any], place: regions.Place, issued_on: dt.date, *,
          photo: bytes | None = None, signature: bytes | None = None) -> printing.CardData:
    wna = fields["kewarganegaraan"] == "WNA"
    return printing.CardData(
        nik=fields["nik"],
        nama=fields["nama"],
        tempat_lahir=fields["tempat_lahir"],
        tanggal_lahir=fields["tanggal_lahir"],
        jenis_kelamin=fields["jenis_kelamin"],
        golongan_darah=fields["golongan_darah"],
        alamat=fields["alamat"],
        rt=fields["rt"],
        rw=fields["rw"],
        kel_desa=place.desa.upper(),
        kecamatan=place.kecamatan.upper(),
        agama=fields["agama"],
        status_perkawinan=fields["status_perkawinan"],
        pekerjaan=fields["pekerjaan"],
        kewarganegaraan=fields["kewarganegaraan"],
        berlaku_hingga=fields["itap_berlaku_hingga"] if wna else SEUMUR_HIDUP,
        provinsi=place.provinsi.upper(),
        kabupaten=place.kabupaten.upper(),
        tempat_terbit=place_of_issue(place.kabupaten),
        tanggal_terbit=issued_on,
        photo=photo,
        signature=signature,
        layout=printing.layout_for(fields["kewarganegaraan"]),
    )


# Short valid values standing in for fields `card_misfits` is not given (or given in a form
# the registry will refuse: it reports those itself), so only the given values are judged.
_STAND_INS: dict[str, Any] = {
    "nik": "3314010101800001", "nama": "A", "tempat_lahir": "A",
    "tanggal_lahir": dt.date(1980, 1, 1), "jenis_kelamin": "LAKI-LAKI", "golongan_darah": "O",
    "alamat": "A", "rt": "1", "rw": "1", "agama": "ISLAM", "status_perkawinan": "KAWIN",
    "pekerjaan": "WIRASWASTA", "kewarganegaraan": "WNI", "itap_berlaku_hingga": None,
}
_STAND_IN_PLACE = regions.Place(desa_code="", desa="A", kecamatan="A", kabupaten="Kota A",
                                provinsi="A")
# A card field (`printing` layout key) -> the resident field to correct when it does not fit.
_RESIDENT_FIELD = {
    "tempat_tgl_lahir": "tempat_lahir", "rt_rw": "rt", "berlaku_hingga": "itap_berlaku_hingga",
    "kel_desa": "desa_code", "kecamatan": "desa_code", "provinsi": "desa_code",
    "kabupaten": "desa_code", "tempat_terbit": "desa_code",
}


def card_misfit_errors(values: Mapping[str, Any], *, place: regions.Place | None = None
                       ) -> list[tuple[str, printing.PrintingError]]:
    """`card_misfits` with the errors themselves (their `code` and `params` translate)."""
    fields = dict(_STAND_INS)
    for name in _CARD_FIELDS:
        value = values.get(name)
        if value in (None, ""):
            continue
        try:
            if name == "nik":
                fields[name] = str(value)
            elif name == "tanggal_lahir":
                fields[name] = parse_date(value)
            else:
                fields[name] = cleaner(name)(value)
        except (ValueError, TypeError):
            continue  # the registry's own checks name it
    if fields["kewarganegaraan"] == "WNA" and fields["itap_berlaku_hingga"] is None:
        fields["itap_berlaku_hingga"] = dt.date(2030, 1, 1)
    try:
        card = _card(fields, place or _STAND_IN_PLACE, dt.date.today())
    except printing.InvalidCardDataError as exc:  # e.g. a NIK that is not 16 digits
        return [(exc.field, exc)]
    return [(_RESIDENT_FIELD.get(exc.field, exc.field), exc) for exc in printing.check_fit(card)]


def card_misfits(values: Mapping[str, Any], *, place: regions.Place | None = None
                 ) -> list[tuple[str, str]]:
    """Which of a resident's values would not print on the card, before the resident is saved:
    ``[(field, message)]``, empty when the card would print.

    ``values`` are resident fields as a form or the API receives them (``nama``, ``alamat``,
    ``tempat_lahir``, ...; dates as `date` or text); only the fields given are judged, so an
    edit can pass just what changed. ``place``: the names of the chosen desa
    (`registry.regions.place`), when known. A field is named as the resident's (``tempat_lahir``
    for the "Tempat/Tgl Lahir" line, ``desa_code`` for the region names); the message is the
    clerk-readable English of `printing`. Fits the values as the card does, without drawing
    anything: well under 2 ms.
    """
    return [(field, str(exc)) for field, exc in card_misfit_errors(values, place=place)]


def current_sources(session: Session, resident: Resident) -> CardSources:
    return CardSources(images.current(session, resident.id, PHOTO),
                       images.current(session, resident.id, SIGNATURE))


def job_for(card: printing.CardData, job_id: str) -> drivers.CardJob:
    """The printer job of a card: its front panels, as the drivers take them."""
    panels = printing.render_panels(card)
    return drivers.CardJob(job_id, front=drivers.SidePanels(
        k=panels.k, colour=panels.colour, overlay=panels.overlay))
