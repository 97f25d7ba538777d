"""What a counter shows at a glance: the work waiting per state, print attempts that need a
person, and where an approved application stands in the owed-prints queue.

Reads only. An office sees its own applications and those of the offices under it (the
kabupaten's KPT sees every kecamatan's).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from . import applications, stock
from .models import Application, PrintAttempt, ResidentImage
from .models.issuance import (
    ATTEMPT_HELD,
    ATTEMPT_PRINTING,
    BARU,
    DIVERIFIKASI,
    GAGAL_CETAK,
    OPEN_STATES,
)
from .regions import in_region as within

SOURCE = "application"


def state_counts(session: Session, office_code: str) -> dict[str, int]:
    """Open applications per state."""
    rows = session.execute(
        select(Application.state, func.count())
        .where(within(Application.office_code, office_code), Application.state.in_(OPEN_STATES))
        .group_by(Application.state))
    return {state: count for state, count in rows}


def listing(session: Session, office_code: str, states: tuple[str, ...] | None = None, *,
            before_id: int | None = None, limit: int = 50,
            oldest_first: bool = False) -> list[Application]:
    """Applications of the office, newest first (a worklist: ``oldest_first``)."""
    query = (select(Application).options(selectinload(Application.resident))
             .where(within(Application.office_code, office_code)))
    if states:
        query = query.where(Application.state.in_(states))
    if before_id is not None:
        query = query.where(Application.id > before_id if oldest_first
                            else Application.id < before_id)
    order = Application.id.asc() if oldest_first else Application.id.desc()
    return list(session.scalars(query.order_by(order).limit(limit)))


def print_queue(session: Session, office_code: str, limit: int = 50) -> list[Application]:
    """Approved applications waiting for a card, in the order of `applications.owed_queue`
    (first-time applicants first, then by approval), for the office and those under it."""
    return list(session.scalars(
        select(Application).options(selectinload(Application.resident))
        .where(within(Application.office_code, office_code),
               Application.state.in_((DIVERIFIKASI, GAGAL_CETAK)))
        .order_by(case((Application.kind == BARU, 0), else_=1), Application.verified_at,
                  Application.id)
        .limit(limit)))


def current_image_id(session: Session, resident_id: int, kind: str) -> int | None:
    """The id of the latest photo or signature, without reading the image itself."""
    return session.scalar(
        select(ResidentImage.id)
        .where(ResidentImage.resident_id == resident_id, ResidentImage.kind == kind)
        .order_by(ResidentImage.id.desc()).limit(1))


def of_resident(session: Session, resident_id: int) -> list[Application]:
    return list(session.scalars(select(Application).where(Application.resident_id == resident_id)
                                .order_by(Application.id.desc())))


def attempts_for(session: Session, application_id: int) -> list[PrintAttempt]:
    """Every try at printing this application's card, oldest first."""
    return list(session.scalars(
        select(PrintAttempt).where(PrintAttempt.source == SOURCE,
                                   PrintAttempt.source_id == application_id)
        .order_by(PrintAttempt.id)))


def latest_attempt(session: Session, application_id: int) -> PrintAttempt | None:
    return session.scalar(
        select(PrintAttempt).where(PrintAttempt.source == SOURCE,
                                   PrintAttempt.source_id == application_id)
        .order_by(PrintAttempt.id.desc()).limit(1))


def open_attempts(session: Session, office_code: str) -> list[PrintAttempt]:
    """Counter prints still printing or held for a person to look at the printer."""
    return list(session.scalars(
        select(PrintAttempt).where(PrintAttempt.source == SOURCE,
                                   PrintAttempt.state.in_((ATTEMPT_PRINTING, ATTEMPT_HELD)),
                                   within(PrintAttempt.office_code, office_code))
        .order_by(PrintAttempt.id)))


def printing_on(session: Session, printer_id: int) -> int | None:
    """The attempt printing on this printer right now, if any (of any source)."""
    return session.scalar(select(PrintAttempt.id).where(
        PrintAttempt.printer_id == printer_id, PrintAttempt.state == ATTEMPT_PRINTING).limit(1))


@dataclass(frozen=True)
class QueuePlace:
    """Where an approved application waits for a blank card."""

    position: int  # 1 = next; 0 = not in the queue
    waiting: int  # approved applications waiting at the office
    available: int  # blanks free at the office that prints it

    @property
    def blank_for_it(self) -> bool:
        """Enough free blanks for everyone ahead of it and for it (first-time applicants go
        first when blanks are short)."""
        return self.available >= max(self.position, 1)


def queue_place(session: Session, application: Application, stock_office: str) -> QueuePlace:
    queue = applications.owed_queue(session, application.office_code)
    ids = [a.id for a in queue]
    position = ids.index(application.id) + 1 if application.id in ids else 0
    return QueuePlace(position, len(ids), stock.balance(session, stock_office).available)
