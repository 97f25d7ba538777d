"""The virtual card printer: feeder, ribbon, counters, cover, jams, faults, the mechanism.

One ``VirtualPrinter`` is one printer. Connections to it (USB, TCP, in-process) are
``Session`` objects that each parse their own byte stream, while the mechanism prints one card
at a time, as a real printer does. With an output folder the printer is that folder: its
state is shared, under a file lock, by every process that opens it (``drivers.virtual.state``).
"""

from __future__ import annotations

import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from drivers.evolis import commands as cmd
from drivers.evolis import replies
from drivers.evolis.decoder import ERROR_PARAMETERS
from drivers.virtual import ribbon
from drivers.virtual.faults import Fault, parse_fault
from drivers.virtual.output import CardLog, Side
from drivers.virtual.state import FolderState, default_serial

if TYPE_CHECKING:
    from drivers.virtual.session import Session

BLOCKING = (
    ("cover-open", "COVER OPEN"),
    ("jam", "CARD JAM"),
    ("ribbon-ended", "ERROR RIBBON"),
    ("feeder-empty", "FEEDER EMPTY"),
)
STRIKES_MID_CARD = ("jam", "cover-open", "ribbon-ended")
HIGH_VOLTS, LOW_VOLTS = 4.92, 0.23
@dataclass
class CardSequence:
    """Everything a session gathered between ``Ss`` and ``Se``."""

    number: int
    job_id: str | None = None
    ribbon: str | None = None
    sides: list[Side] = field(default_factory=list)


class VirtualPrinter(FolderState):
    """A card printer without hardware: the same bytes in, a PNG and a log line out.

    ``out_dir``: where cards, the log and the state go (None keeps records in memory only).
    ``cards`` / ``ribbon`` / ``ribbon_type``: what this process loads into the printer (None
    keeps what the folder's state says, or 100 blanks and a 500-print YMCKO ribbon for a new
    one). ``faults``: ``Fault`` objects or ``KIND[@N]`` strings (see ``faults``).
    ``keep_faults``: False when this instance switches the printer on after the operator
    fixed it (the ``ktp virtual-printer`` process): faults saved in the folder are dropped.
    """

    def __init__(
        self,
        out_dir: str | Path | None = None,
        *,
        name: str = "virtual",
        cards: int | None = None,
        ribbon: int | None = None,
        ribbon_type: str | None = None,
        print_seconds: float = 0.0,
        faults: list[Fault | str] | tuple[Fault | str, ...] = (),
        model: str = "Virtual Evolis Primacy",
        serial: str | None = None,
        firmware: str = "VRT 1.0.0",
        save_png: bool = True,
        keep_faults: bool = True,
    ) -> None:
        if ribbon_type is not None and ribbon_type not in cmd.RIBBONS:
            raise ValueError(f"unknown ribbon type {ribbon_type!r}; known: {', '.join(cmd.RIBBONS)}")
        self.name, self.model, self.firmware = name, model, firmware
        self.log = CardLog(out_dir, save_png=save_png) if out_dir is not None else None
        super().__init__(self.log.folder if self.log is not None else None)
        self.serial = serial or default_serial(name, self.log.folder if self.log else None)
        self.head = f"KIT-{self.serial}"
        self.print_seconds = print_seconds
        self.records: list[dict[str, object]] = []
        self._pending: list[Fault] = []
        self._sequences = 0
        self._epoch = 0
        self._mechanism = threading.Lock()
        with self._changing():
            if cards is not None:
                self.cards_in_feeder = cards
            if ribbon is not None:
                self.ribbon_remaining = ribbon
            if ribbon_type is not None:
                self.ribbon_type = ribbon_type
            if not keep_faults:
                self.conditions.clear()
                self.card_inside = self.printing = False
        for fault in faults:
            self.inject(fault)

    # operator and developer controls

    def inject(self, fault: Fault | str) -> None:
        fault = parse_fault(fault) if isinstance(fault, str) else fault
        with self._changing():
            if fault.at_card is None:
                self._strike(fault.kind)
            else:
                self._pending.append(fault)

    def clear(self, kind: str | None = None, *, cards: int = 100, ribbon: int = 500) -> None:
        """Do what an operator does for ``kind`` (all kinds when None): load cards, fit a ribbon,
        close the cover, pull out the jammed card, plug the cable back in."""
        with self._changing():
            kinds = set(self.conditions) if kind is None else {kind}
            if kind is None:
                self._pending.clear()
            for done in kinds:
                self.conditions.discard(done)
            if "feeder-empty" in kinds and self.cards_in_feeder == 0:
                self.cards_in_feeder = cards
            if "ribbon-ended" in kinds and self.ribbon_remaining == 0:
                self.ribbon_remaining = ribbon
            if "jam" in kinds:
                self.card_inside = False

    def load_cards(self, count: int) -> None:
        with self._changing():
            self.cards_in_feeder += count
            self.conditions.discard("feeder-empty")

    def load_ribbon(self, prints: int, ribbon_type: str | None = None) -> None:
        if ribbon_type is not None and ribbon_type not in cmd.RIBBONS:
            raise ValueError(f"unknown ribbon type {ribbon_type!r}")
        with self._changing():
            self.ribbon_remaining = prints
            if ribbon_type is not None:
                self.ribbon_type = ribbon_type
            self.conditions.discard("ribbon-ended")

    def _strike(self, kind: str) -> None:
        self.conditions.add(kind)
        if kind == "disconnect":
            self._epoch += 1
        elif kind == "ribbon-ended":
            self.ribbon_remaining = 0
        elif kind == "jam":
            self.card_inside = True

    # what sessions use

    def connect(self, *, control: bool = False) -> Session:
        """A new connection; SessionClosed while the printer is disconnected. A ``control``
        session (the developer's control port) works whatever the printer's state."""
        from drivers.virtual.session import Session, SessionClosed

        with self._lock:
            if control:
                return Session(self, None)
            self._sync()
            if "disconnect" in self.conditions:
                raise SessionClosed(f"{self.name} is disconnected")
            return Session(self, self._epoch)

    def connected(self, epoch: int | None) -> bool:
        with self._lock:
            return epoch is None or (epoch == self._epoch and "disconnect" not in self.conditions)

    def disconnect(self) -> None:
        with self._changing():
            self._strike("disconnect")

    def begin_sequence(self) -> tuple[int, bool]:
        """Count a new card; True when it is to be cut off by a disconnect mid-transfer."""
        with self._lock:
            self._sequences += 1
            doomed = self._take(self._sequences, ("disconnect",))
            return self._sequences, bool(doomed)

    def _take(self, number: int, kinds: tuple[str, ...]) -> list[str]:
        due = [f for f in self._pending if f.at_card == number and f.kind in kinds]
        for fault in due:
            self._pending.remove(fault)
        return [f.kind for f in due]

    def query(self, name: str, params: tuple[str, ...]) -> str:
        with self._lock:
            self._sync()
            identity = {"Rtp": self.model, "Rsn": self.serial, "Rfv": self.firmware,
                        "Rkn": self.head, "Rcr": str(self.ribbon_remaining),
                        "Rst": self._state_word()}
            if name in identity:
                return identity[name] if not params else ERROR_PARAMETERS
            key = params[0] if len(params) == 1 else None
            if name == "Rco":
                counts = {"c": self.cards_inserted, "p": self.panels_printed}
                return str(counts[key]) if key in counts else ERROR_PARAMETERS
            if name == "Rlr" and key == "p":
                return "CARD" if self.card_inside else replies.OK
            if name == "Rse" and key in ("o", "f"):
                if key == "o":
                    high = ("cover-open" in self.conditions) == replies.COVER_OPEN_WHEN_HIGH
                else:
                    loaded = self.cards_in_feeder > 0 and "feeder-empty" not in self.conditions
                    high = loaded == replies.FEEDER_LOADED_WHEN_HIGH
                return replies.volts(HIGH_VOLTS if high else LOW_VOLTS)
            return ERROR_PARAMETERS

    def _state_word(self) -> str:
        """``Rst``: a jam first, then printing, then what stops the next card, else READY."""
        if "jam" in self.conditions:
            return "CARD JAM"
        if self.printing:
            return replies.STATE_PRINTING
        empty = {"ribbon-ended": self.ribbon_remaining <= 0,
                 "feeder-empty": self.cards_in_feeder <= 0}
        for kind, reply in BLOCKING:
            if kind in self.conditions or empty.get(kind):
                return reply
        return replies.STATE_READY

    def ribbon_refusal(self, selected: str | None, side: str, panel: str) -> str | None:
        return ribbon.refusal(self.ribbon_type, selected, side, panel)

    def ribbon_fits(self, selected: str) -> bool:
        return ribbon.fits(self.ribbon_type, selected)

    def _blocking_reply(self) -> str | None:
        if self.ribbon_remaining <= 0:
            self.conditions.add("ribbon-ended")
        if self.cards_in_feeder <= 0:
            self.conditions.add("feeder-empty")
        for kind, reply in BLOCKING:
            if kind in self.conditions:
                return reply
        return None

    def print_sequence(self, card: CardSequence) -> str:
        """``Se``: take a blank, print it, put it out; the reply says how it went.

        The mechanism handles one card at a time, across processes too (the folder's lock is
        held for the whole card); drawing the output PNG happens after the card has left it,
        so another connection's card can start meanwhile.
        """
        whole_card = self._shared.held() if self._shared is not None else nullcontext()
        with self._mechanism, whole_card:
            with self._changing():
                for kind in self._take(card.number, ("feeder-empty",)):
                    self._strike(kind)
                refused = self._blocking_reply()
                if refused:
                    return refused
                self.cards_in_feeder -= 1
                self.cards_inserted += 1
                self.card_inside = True
                strikes = self._take(card.number, STRIKES_MID_CARD)
                if strikes:
                    self._strike(strikes[0])
                    self.card_inside = strikes[0] == "jam"
                    entry = self._entry(card, "spoiled", strikes[0])
                else:
                    self.printing = self._running = True
            if strikes:
                self._finish(entry, card)
                return dict(BLOCKING)[strikes[0]]
            if self.print_seconds > 0:
                time.sleep(self.print_seconds)
            with self._changing():
                self.panels_printed += sum(len(side.panels) for side in card.sides)
                self.ribbon_remaining = max(0, self.ribbon_remaining - len(card.sides))
                self.card_inside = self.printing = self._running = False
                entry = self._entry(card, "printed", None)
        self._finish(entry, card)
        return replies.OK

    def _entry(self, card: CardSequence, outcome: str, reason: str | None) -> dict[str, object]:
        return {
            "card_number": self.cards_inserted,
            "job_id": card.job_id,
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "outcome": outcome,
            "reason": reason,
            "ribbon": card.ribbon,
            "counters": {
                "cards_inserted": self.cards_inserted,
                "panels_printed": self.panels_printed,
            },
        }

    def _finish(self, entry: dict[str, object], card: CardSequence) -> None:
        if self.log is not None:
            entry = self.log.record(entry, card.sides)
        else:
            entry["sides"] = [{"side": s.name, "panels": list(s.panels)} for s in card.sides]
        with self._lock:
            self.records.append(entry)

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            self._sync()
            return {
                "name": self.name,
                "serial": self.serial,
                "cards_in_feeder": self.cards_in_feeder,
                "ribbon_remaining": self.ribbon_remaining,
                "ribbon_type": self.ribbon_type,
                "cards_inserted": self.cards_inserted,
                "panels_printed": self.panels_printed,
                "conditions": sorted(self.conditions),
                "pending_faults": [str(f) for f in self._pending],
                "card_inside": self.card_inside,
                "printing": self.printing,
            }

    def printed(self) -> list[dict[str, object]]:
        """Log entries of the cards that came out good."""
        with self._lock:
            return [r for r in self.records if r["outcome"] == "printed"]
