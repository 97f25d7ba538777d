"""Demo history for the evaluation: a year of applications, cards, print attempts, printer
faults, blank stock and survey answers over the demo residents, so the dashboard and the report
have something to show. Reproducible (``seed``); only for demo databases.

It only ever touches residents it finds with no card at all and no application in progress
(someone served at the counter keeps exactly the cards and applications they have), and only
ever replaces the cards it made itself.

From `ktp demo`, after the residents are seeded::

    from ..evaluation.demo import seed_evaluation
    seed_evaluation(database, actor())
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from registry import cards, offices, periods, printers, stock, survey
from registry.audit import Actor
from registry.db import Database
from registry.demo import SRAGEN
from registry.models import (
    Application,
    ApplicationEvent,
    Card,
    PrintAttempt,
    Printer,
    PrinterEvent,
    Resident,
    utcnow,
)
from registry.models.issuance import (
    CARD_ACTIVE,
    CARD_INVALID,
    OPEN_STATES,
    REPRINT_REASONS,
)

from . import settings

DEMO_ACTOR = "demo"
FAULTS = ("jam", "ribbon-ended", "feeder-empty", "cover-open")
# Mean score per element: the fee is free (4), complaints handling and waiting time lag.
MEANS = (3.3, 3.1, 2.8, 3.9, 3.3, 3.2, 3.4, 2.7, 3.0)


@dataclass(frozen=True)
class DemoReport:
    cards: int
    responses: int

    def __str__(self) -> str:
        return f"{self.cards} cards handed over, {self.responses} survey answers"


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(4, round(rng.gauss(mean, 0.6))))


def _at(day: dt.date, hour: float, tz: dt.tzinfo) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(), tz) + dt.timedelta(hours=hour)
    return local.astimezone(dt.UTC)


class _History:
    def __init__(self, session: Session, actor: Actor, rng: random.Random, tz: dt.tzinfo,
                 key: bytes, blanks: dict[str, int]) -> None:
        self.s, self.actor, self.rng, self.tz, self.key = session, actor, rng, tz, key
        self.blanks = blanks
        self.cards = self.responses = 0

    def printer_for(self, office: str) -> Printer:
        """The office's first printer (the demo's virtual one), or a new virtual printer."""
        found = self.s.scalar(select(Printer).where(Printer.office_code == office)
                              .order_by(Printer.id).limit(1))
        name = f"demo-{office.replace('.', '-')}"
        return found or printers.add(self.s, self.actor, name, f"virtual://{name}?cards=500",
                                     office)

    def card(self, resident: Resident, office: str, printing_office: str, printer: Printer,
             day: dt.date, reason: str | None) -> dt.datetime:
        """A card applied for, printed and handed over from ``day`` on; when it was handed
        over. A reprint replaces the demo's own earlier card, never one made elsewhere."""
        rng, tz = self.rng, self.tz
        applied = _at(day, rng.uniform(8, 14), tz)
        application = Application(
            resident_id=resident.id, office_code=office, kind="CETAK ULANG" if reason else "BARU",
            reason=reason, state="DISERAHKAN", created_by=DEMO_ACTOR, created_at=applied,
            verified_by=DEMO_ACTOR, verified_at=applied + dt.timedelta(hours=1))
        self.s.add(application)
        self.s.flush()
        printed = applied + dt.timedelta(hours=rng.choice((3, 20, 26, 50, 75, 120)))
        handed = printed + dt.timedelta(hours=rng.choice((1, 2, 20, 24, 48, 70, 170)))
        for state, at in (("DIAJUKAN", applied), ("DICETAK", printed), ("DISERAHKAN", handed)):
            self.s.add(ApplicationEvent(application_id=application.id, at=at, actor=DEMO_ACTOR,
                                        to_state=state))
        previous = self.s.scalar(select(Card).where(
            Card.resident_id == resident.id, Card.state == CARD_ACTIVE,
            Card.printed_by == DEMO_ACTOR).order_by(Card.copy_number.desc()).limit(1))
        if previous is not None:
            previous.state, previous.invalidated_at = CARD_INVALID, handed
            previous.invalid_reason = f"replaced: {reason}"
        copies = self.s.scalar(select(func.count()).select_from(Card)
                               .where(Card.resident_id == resident.id)) or 0
        card = Card(resident_id=resident.id, nik=resident.nik, copy_number=copies + 1,
                    reason=reason or "BARU", application_id=application.id,
                    replaces_card_id=previous.id if previous is not None else None,
                    office_code=printing_office, printer_id=printer.id,
                    data=cards.snapshot(resident, None, None),
                    printed_at=printed, printed_by=DEMO_ACTOR, state=CARD_ACTIVE,
                    handed_over_at=handed, handed_over_by=DEMO_ACTOR, received_by="sendiri")
        self.s.add(card)
        self.s.flush()
        self.s.add(PrintAttempt(job_id=f"demo-{card.id}", source="application",
                                source_id=application.id, resident_id=resident.id,
                                printer_id=printer.id, office_code=printing_office,
                                state="printed", card_id=card.id, card_consumed=True,
                                actor=DEMO_ACTOR, started_at=printed, finished_at=printed))
        self._use_blank(printing_office, printer, printed, spoiled=False)
        self.cards += 1
        if handed < utcnow():
            self._survey(card, periods.local_day(handed, tz))
        return handed

    def _use_blank(self, office: str, printer: Printer, at: dt.datetime, spoiled: bool) -> None:
        """A blank from the demo's own deliveries, each dated before the blanks it brings are
        used, so the ledger reads right at any past date."""
        if self.blanks.get(office, 0) < 1:
            stock.receive(self.s, self.actor, office, 300, reference="demo delivery").at = (
                at - dt.timedelta(hours=1))
            self.blanks[office] = self.blanks.get(office, 0) + 300
        self.blanks[office] -= 1
        stock.reserve(self.s, office)
        stock.consume(self.s, self.actor, office, spoiled=spoiled, reference="demo",
                      printer_id=printer.id, at=at)

    def fault(self, printer: Printer, office: str, day: dt.date) -> None:
        rng = self.rng
        start = _at(day, rng.uniform(8, 15), self.tz)
        code = rng.choice(FAULTS)
        self.s.add(PrintAttempt(job_id=f"demo-f-{printer.id}-{day}", source="application",
                                source_id=0, resident_id=self.s.scalar(select(Resident.id)),
                                printer_id=printer.id, office_code=office, state="failed",
                                error_code=code, card_consumed=code == "jam", actor=DEMO_ACTOR,
                                started_at=start, finished_at=start))
        if code == "jam":
            self._use_blank(office, printer, start, spoiled=True)
        self.s.add(PrinterEvent(printer_id=printer.id, at=start, state="fault", code=code))
        self.s.add(PrinterEvent(printer_id=printer.id, state="ready",
                                at=start + dt.timedelta(minutes=rng.choice((10, 30, 90, 300)))))

    def _survey(self, card: Card, day: dt.date) -> None:
        rng = self.rng
        code = survey.invite(self.s, self.actor, card, key=self.key, today=day, valid_days=7)
        if code is None or rng.random() > 0.55:
            return
        answers = survey.Answers(tuple(_score(rng, m) for m in MEANS),
                                 rng.choice((None,) * 6 + ("Pelayanan cepat, terima kasih",
                                                           "Ruang tunggu panas",
                                                           "Antrean terlalu lama")))
        survey.answer_at_kiosk(self.s, code, answers, key=self.key, today=day)
        self.responses += 1


def _untouched(resident_id):
    """No card but the demo's own, and no application in progress: not served at the
    counter (yet)."""
    return (~exists().where(Card.resident_id == resident_id, Card.printed_by != DEMO_ACTOR)
            & ~exists().where(Application.resident_id == resident_id,
                              Application.state.in_(OPEN_STATES)))


def _available(session: Session, resident_id: int) -> bool:
    """Still untouched when the demo gets to them (the counter may be in use meanwhile)."""
    return bool(session.scalar(select(_untouched(resident_id))))


def seed_evaluation(database: Database, actor: Actor, *, months: int = 12, seed: int = 1,
                    today: dt.date | None = None) -> DemoReport | str:
    """Cards over the last ``months`` months for adult demo residents without a card yet and
    with no application in progress; existing cards and applications are left as they are."""
    tz, key = settings.timezone(), settings.survey_key()
    today = today or settings.today()
    with database.read() as session:
        if session.scalar(select(Card.id).where(Card.printed_by == DEMO_ACTOR).limit(1)):
            return "already seeded"
        adult = today.replace(year=today.year - 18)
        people = list(session.scalars(select(Resident.id).where(
            Resident.tanggal_lahir <= adult, Resident.status == "AKTIF",
            _untouched(Resident.id)).order_by(Resident.id)))
    rng = random.Random(seed)
    start = today.replace(day=1)
    for _ in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    days = [start + dt.timedelta(days=n) for n in range((today - start).days - 8)
            if (start + dt.timedelta(days=n)).weekday() < 5]
    if not days or not people:
        return "no adult demo residents without a card: run `ktp seed` first"
    per_day = max(1, len(people) // len(days))
    totals = [0, 0]
    queue, carded, blanks = iter(people), [], {}
    last_handed: dict[int, dt.datetime] = {}  # when each resident got the demo's latest card
    for day in days:
        with database.write() as session:
            history = _History(session, actor, rng, tz, key, blanks)
            kpt = history.printer_for(SRAGEN)
            for _ in range(rng.randint(max(1, per_day - 2), per_day + 2)):
                handed_before = _at(day, 0, tz)
                reprint = bool(carded) and rng.random() < 0.12
                if reprint:
                    chosen = rng.choice(carded)
                    reprint = last_handed[chosen] < handed_before  # had it before this one
                if not reprint:
                    chosen = next(queue, None)
                    if chosen is None:
                        break
                if not _available(session, chosen):
                    continue
                resident = session.get(Resident, chosen)
                kecamatan = resident.desa_code.rsplit(".", 1)[0]
                offices.ensure(session, actor, kecamatan)
                last_handed[chosen] = history.card(
                    resident, kecamatan, SRAGEN, kpt, day,
                    rng.choice(REPRINT_REASONS) if reprint else None)
                if not reprint:
                    carded.append(chosen)
            if rng.random() < 0.15:
                history.fault(kpt, SRAGEN, day)
            totals[0] += history.cards
            totals[1] += history.responses
    return DemoReport(*totals)
