"""Storing photos and signatures. A new image never replaces a row: cards keep pointing at
the image they were printed with."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .audit import Actor
from .models import PHOTO, SIGNATURE, Resident, ResidentImage

KINDS = (PHOTO, SIGNATURE)


def store(session: Session, actor: Actor, resident: Resident, kind: str, data: bytes, *,
          media_type: str, width: int, height: int, note: str | None = None) -> ResidentImage:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    digest = hashlib.sha256(data).hexdigest()
    image = ResidentImage(resident_id=resident.id, kind=kind, media_type=media_type, data=data,
                          width=width, height=height, sha256=digest, created_by=actor.name)
    session.add(image)
    session.flush()
    audit.record(session, actor, f"resident.{kind}", "resident", resident.nik,
                 {kind: [None, f"sha256:{digest[:16]} {width}x{height}"]}, note=note)
    return image


def current(session: Session, resident_id: int, kind: str) -> ResidentImage | None:
    """The latest image of ``kind`` for a resident."""
    return session.scalar(
        select(ResidentImage)
        .where(ResidentImage.resident_id == resident_id, ResidentImage.kind == kind)
        .order_by(ResidentImage.id.desc())
        .limit(1)
    )
