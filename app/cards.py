"""One resident becomes one card by one path: registry record -> `printing.CardData` -> PDF,
PNG or printer panels -> `drivers.CardJob`. The API, the CLI, the counter pages and the batch
worker all come through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

import drivers
import printing
from registry import images, regions
from registry.models import PHOTO, SIGNATURE, Resident, ResidentImage
from registry.values import SEUMUR_HIDUP

_KAB_PREFIXES = ("Kabupaten ", "Kota ")


def _without_kind(kabupaten: str) -> str:
    for prefix in _KAB_PREFIXES:
        if kabupaten.startswith(prefix):
            return kabupaten[len(prefix):]
    return kabupaten


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
    wna = resident.kewarganegaraan == "WNA"
    return printing.CardData(
        nik=resident.nik,
        nama=resident.nama,
        tempat_lahir=resident.tempat_lahir,
        tanggal_lahir=resident.tanggal_lahir,
        jenis_kelamin=resident.jenis_kelamin,
        golongan_darah=resident.golongan_darah,
        alamat=resident.alamat,
        rt=resident.rt,
        rw=resident.rw,
        kel_desa=place.desa.upper(),
        kecamatan=place.kecamatan.upper(),
        agama=resident.agama,
        status_perkawinan=resident.status_perkawinan,
        pekerjaan=resident.pekerjaan,
        kewarganegaraan=resident.kewarganegaraan,
        berlaku_hingga=resident.itap_berlaku_hingga if wna else SEUMUR_HIDUP,
        provinsi=place.provinsi.upper(),
        kabupaten=place.kabupaten.upper(),
        tempat_terbit=_without_kind(place.kabupaten).upper(),
        tanggal_terbit=issued_on or dt.date.today(),
        photo=sources.photo.data if sources.photo else None,
        signature=sources.signature.data if sources.signature else None,
        layout=printing.layout_for(resident.kewarganegaraan),
    )


def current_sources(session: Session, resident: Resident) -> CardSources:
    return CardSources(images.current(session, resident.id, PHOTO),
                       images.current(session, resident.id, SIGNATURE))


def job_for(card: printing.CardData, job_id: str) -> drivers.CardJob:
    """The printer job of a card: its front panels, as the drivers take them."""
    panels = printing.render_panels(card)
    return drivers.CardJob(job_id, front=drivers.SidePanels(
        k=panels.k, colour=panels.colour, overlay=panels.overlay))
