"""The printer as the app sees it: who it is, what state it is in, what it has done."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

RIBBON_LOW_PRINTS = 20
"""A ribbon with this many prints or fewer left is reported as low (an operator warning)."""
STATES = ("offline", "jam", "cover-open", "ribbon-ended", "feeder-empty", "printing",
          "ribbon-low", "ready")
"""Every `PrinterStatus.state`, most urgent first."""


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

    ``cards_inserted`` (``Rco;c``) rises by one each time a blank leaves the feeder, whether the
    card then comes out good or spoiled. ``panels_printed`` (``Rco;p``) rises as panels are laid
    on a card: a blank taken whose panels did not all print did not come out as a card. The two
    together are what a job is settled with (see ``Printer.settle``).
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
    printing: bool = False
    """The printer says it is printing a card (busy, not a fault): the next card waits."""
    jam: bool = False
    """The printer says a card is jammed (its own status or error reply, never a guess)."""

    @property
    def ribbon_low(self) -> bool:
        remaining = self.ribbon_remaining
        return remaining is not None and 0 < remaining <= RIBBON_LOW_PRINTS

    @property
    def fault(self) -> bool:
        """Something an operator has to fix before the printer prints again."""
        return self.cover_open or self.feeder_empty or self.ribbon_ended or self.jam

    @property
    def ready(self) -> bool:
        """Online and without a fault: a card sent now prints (after the one it is printing)."""
        return self.online and not self.fault

    @property
    def idle(self) -> bool:
        """Ready, and no card in the mechanism."""
        return self.ready and not (self.printing or self.card_inside)

    @property
    def state(self) -> str:
        """One word for lists: the most urgent condition first (one of `STATES`)."""
        if not self.online:
            return "offline"
        for flag, word in (
            (self.jam, "jam"),
            (self.cover_open, "cover-open"),
            (self.ribbon_ended, "ribbon-ended"),
            (self.feeder_empty, "feeder-empty"),
            (self.printing, "printing"),
            (self.ribbon_low, "ribbon-low"),
        ):
            if flag:
                return word
        return "ready"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.update(state=self.state, ready=self.ready, ribbon_low=self.ribbon_low)
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
    taken, all the job's panels printed, the card is not stuck: do not print again),
    ``spoiled`` (one blank taken and none of its panels printed: the printer jammed, a cover
    opened or the ribbon ended before it printed, whether the blank is still inside or the
    operator already pulled it out; record a spoiled blank, print again once the printer is
    cleared), ``check-output`` (the counters cannot tell: more than one blank taken since, part
    of the job's panels printed, the job's panels all printed but the card is stuck, or, for a
    job recorded without its panel counter, a cover or ribbon fault now; an operator must look
    at the output tray before anything is printed again).
    """

    outcome: str
    before: int
    counters: Counters
    status: PrinterStatus
    panels_before: int | None = None
    panels_in_job: int | None = None

    @classmethod
    def judge(
        cls,
        status: PrinterStatus,
        before: int,
        panels_before: int | None = None,
        panels_in_job: int | None = None,
    ) -> Settlement:
        """The outcome from the printer's status and counters now (not printing any more)."""
        counters = status.counters
        assert counters is not None
        taken = counters.cards_inserted - before
        if taken == 0:
            outcome = "not-started"
        elif taken != 1:
            outcome = "check-output"
        elif panels_before is None or panels_in_job is None:
            outcome = _judged_without_panels(status)
        else:
            printed = counters.panels_printed - panels_before
            if printed == 0:
                outcome = "spoiled"  # the blank left the feeder, nothing was printed on it
            elif printed == panels_in_job and not status.jam:
                outcome = "came-out"
            else:
                # Part of the card, a finished card stuck inside, or more than the job. Part of
                # it would be a spoiled blank if ``Rco;p`` counts panels; a printer whose
                # ``Rco;p`` counts cards (``replies.PRINTED_COUNTER_COUNTS``) shows the same
                # rise of 1 for a card that came out: never guess, an operator looks.
                outcome = "check-output"
        return cls(outcome, before, counters, status, panels_before, panels_in_job)

    @property
    def safe_to_reprint(self) -> bool:
        return self.outcome in ("not-started", "spoiled")

    def as_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "before": self.before,
            "panels_before": self.panels_before,
            "panels_in_job": self.panels_in_job,
            "counters": self.counters.as_dict(),
            "status": self.status.as_dict(),
            "safe_to_reprint": self.safe_to_reprint,
        }


def _judged_without_panels(status: PrinterStatus) -> str:
    """One blank taken and no panel counter to compare: the printer's state is all there is."""
    if status.jam:
        return "spoiled"
    if status.cover_open or status.ribbon_ended:
        return "check-output"
    return "came-out"
