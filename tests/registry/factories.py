"""Valid resident fields for tests; override what a test is about."""

from __future__ import annotations

import datetime as dt
from typing import Any

SRAGEN_DESA = "33.14.10.1001"  # Kelurahan Sine, Kecamatan Sragen


def resident_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "nama": "SRI WAHYUNI",
        "tempat_lahir": "SRAGEN",
        "tanggal_lahir": dt.date(1980, 8, 17),
        "jenis_kelamin": "PEREMPUAN",
        "golongan_darah": "O",
        "agama": "ISLAM",
        "status_perkawinan": "KAWIN",
        "pekerjaan": "PETANI/PEKEBUN",
        "kewarganegaraan": "WNI",
        "alamat": "JL. SUKOWATI NO. 12",
        "rt": "1",
        "rw": "2",
        "desa_code": SRAGEN_DESA,
    }
    fields.update(overrides)
    return fields


def record_card(session: Any, actor: Any, resident: Any, **fields: Any) -> Any:
    """A card printed for ``resident`` (`registry.cards.inserted`), loaded as a `Card` for a
    test that goes on to work with the object (hand it over, invite a survey)."""
    from registry import cards
    from registry.models import Card

    return session.get(Card, cards.inserted(session, actor, resident, **fields).id)


def printed_application(session: Any, clerk: Any, supervisor: Any, resident: Any,
                        office: str) -> tuple[Any, Any]:
    """A first-card application through the counter's steps (placeholder photo and
    signature), verified and its card printed: (application, card), waiting for handover."""
    from registry import applications, images

    application = applications.submit(session, clerk, resident, office)
    for kind in ("photo", "signature"):
        image = images.store(session, clerk, resident, kind, b"x", media_type="image/png",
                             width=1, height=1)
        applications.attach_image(session, clerk, application, kind, image.id)
    applications.verify(session, supervisor, application)
    card = record_card(session, clerk, resident, reason="BARU", office_code=office,
                       photo_id=application.photo_id, signature_id=application.signature_id,
                       application_id=application.id)
    applications.printed(session, clerk, application, card)
    return application, card
