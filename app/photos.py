"""Photos and signatures as the counter captures them: checked and prepared by `printing`,
stored by the registry (never overwriting: a printed card keeps pointing at its photo)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

import printing
from registry import images
from registry.audit import Actor
from registry.models import PHOTO, SIGNATURE, Resident


@dataclass(frozen=True)
class Stored:
    id: int
    kind: str
    sha256: str
    width: int
    height: int
    warnings: list[dict[str, Any]]
    """The photo checks' doubts: ``code`` (stable), ``message`` (English) and ``params`` (the
    values in the message, to say it in the clerk's language: `printing.PhotoWarning`)."""


def store(session: Session, actor: Actor, resident: Resident, kind: str, data: bytes,
          crop: tuple[int, int, int, int] | None = None) -> Stored:
    """Prepare an upload for the card and keep it; raises `printing.PhotoError` (a clear,
    clerk-readable reason) for anything that is not a sound JPEG or PNG."""
    layout = printing.layout_for(resident.kewarganegaraan)
    limit = current_app.config["PHOTO_MAX_BYTES"]
    warnings: list[dict[str, Any]] = []
    if kind == PHOTO:
        prepared = printing.prepare_photo(data, tanggal_lahir=resident.tanggal_lahir,
                                          layout=layout, crop=crop, max_bytes=limit)
        content, media, (width, height) = prepared.jpeg, "image/jpeg", prepared.size
        warnings = [{"code": w.code, "message": w.message, "params": dict(w.params)}
                    for w in prepared.warnings]
    elif kind == SIGNATURE:
        content, media = printing.prepare_signature(data, layout=layout, max_bytes=limit), "image/png"
        width, height = printing.get_layout(layout).signature.pixels()
    else:
        raise ValueError(kind)
    note = "; ".join(w["message"] for w in warnings) or None
    image = images.store(session, actor, resident, kind, content, media_type=media,
                         width=width, height=height, note=note)
    return Stored(image.id, kind, image.sha256, width, height, warnings)
