"""Faults a developer can inject into the virtual printer: ``KIND`` or ``KIND@N``.

``KIND`` holds from the start; ``KIND@N`` strikes while the printer handles its N-th card
(counted by ``Ss``, 1 = the first card this printer instance sees). A fault stays until it is
cleared, as on a real printer where an operator has to act.
"""

from __future__ import annotations

from dataclasses import dataclass

FAULT_KINDS = ("feeder-empty", "ribbon-ended", "jam", "cover-open", "disconnect")


@dataclass(frozen=True)
class Fault:
    kind: str
    at_card: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; choose from {', '.join(FAULT_KINDS)}")
        if self.at_card is not None and self.at_card < 1:
            raise ValueError("the card number after @ counts from 1")

    def __str__(self) -> str:
        return self.kind if self.at_card is None else f"{self.kind}@{self.at_card}"


def parse_fault(text: str) -> Fault:
    """Parse the ``--fault KIND[@N]`` syntax; ValueError with the accepted kinds otherwise."""
    kind, sep, number = text.strip().partition("@")
    if sep:
        try:
            return Fault(kind, int(number))
        except ValueError as exc:
            if "unknown fault" in str(exc) or "counts from" in str(exc):
                raise
            raise ValueError(f"{text!r}: the part after @ must be a card number") from exc
    return Fault(kind)
