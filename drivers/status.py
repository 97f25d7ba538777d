"""The printer as the app sees it: who it is, what state it is in, what it has done."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

RIBBON_LOW_PRINTS = 20
"""A ribbon with this many prints or fewer left is reported as low (an operator warning)."""


@dataclass(frozen=True)
class PrinterIdentity:
    model: str
    serial: str
    firmware: str
    head: str | None = None
    device_id: dict[str, str] = field(default_factory=dict)
    """IEEE 1284 device id fields from USB GET_DEVICE_ID (MFG, MDL, CMD, ...), when available."""

    @property
    def is_virtual(self) -> bool:
        return self.model.startswith("Virtual")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Counters:
    """The printer's own lifetime counters, kept in its memory across power cycles.

    ``cards_inserted`` rises by one each time a blank leaves the feeder, whether the card then
    comes out good or spoiled: it is the number the batch system settles jobs with.
    """

    cards_inserted: int
    panels_printed: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class PrinterStatus:
    online: bool
    cover_open: bool = False
    feeder_empty: bool = False
    ribbon_ended: bool = False
    ribbon_remaining: int | None = None
    card_inside: bool = False
    counters: Counters | None = None
    reason: str | None = None
    """Why the printer is offline, in an operator's words."""

    @property
    def jam(self) -> bool:
        """A card sits inside an idle printer: it is stuck."""
        return self.card_inside

    @property
    def ribbon_low(self) -> bool:
        remaining = self.ribbon_remaining
        return remaining is not None and 0 < remaining <= RIBBON_LOW_PRINTS

    @property
    def ready(self) -> bool:
        return self.online and not (
            self.cover_open or self.feeder_empty or self.ribbon_ended or self.jam
        )

    @property
    def state(self) -> str:
        """One word for lists: the most urgent condition first."""
        if not self.online:
            return "offline"
        for flag, word in (
            (self.jam, "jam"),
            (self.cover_open, "cover-open"),
            (self.ribbon_ended, "ribbon-ended"),
            (self.feeder_empty, "feeder-empty"),
            (self.ribbon_low, "ribbon-low"),
        ):
            if flag:
                return word
        return "ready"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.update(state=self.state, ready=self.ready, jam=self.jam, ribbon_low=self.ribbon_low)
        return data


@dataclass(frozen=True)
class PrintResult:
    """What the printer confirmed about one card."""

    job_id: str
    confirmed: bool
    """True when the printer answered that the card came out; False on a one-way link (file)."""
    sides: int
    seconds: float
    before: Counters | None = None
    after: Counters | None = None

    @property
    def card_number(self) -> int | None:
        """The printer's cards-inserted count for this card: its serial number on that printer."""
        return self.after.cards_inserted if self.after else None

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["card_number"] = self.card_number
        return data


@dataclass(frozen=True)
class Settlement:
    """What became of a card whose job was started when ``cards_inserted`` was ``before``.

    ``outcome``: ``not-started`` (no blank taken: safe to print again), ``came-out`` (one blank
    taken and the printer is idle with no card inside: the card is out, do not print again),
    ``spoiled`` (one blank taken and the printer holds it or reports a fault: record a spoiled
    blank, print again after the operator clears it), ``check-output`` (the counters cannot
    tell: more than one blank taken since, or one taken and the printer now reports a cover or
    ribbon fault; an operator must look at the output tray before anything is printed again).
    """

    outcome: str
    before: int
    counters: Counters
    status: PrinterStatus

    @property
    def safe_to_reprint(self) -> bool:
        return self.outcome in ("not-started", "spoiled")

    def as_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "before": self.before,
            "counters": self.counters.as_dict(),
            "status": self.status.as_dict(),
            "safe_to_reprint": self.safe_to_reprint,
        }
