"""What the app hands the driver: panels per card side, already rasterised at 300 dpi.

The printing package draws the card landscape (1016 x 648 px); printers want portrait. Keeping the
input landscape means the app never needs to know which way a printer feeds its cards.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from drivers.errors import InvalidJobError

CARD_SIZE = (1016, 648)
"""Landscape bitmap size in pixels: ID-1 at 300 dpi plus a bleed for edge-to-edge printing."""

MAX_JOB_ID_LENGTH = 64


@dataclass(frozen=True)
class SidePanels:
    """One side of a card.

    ``k``: mode "1", black (0) = lay resin black. ``colour``: mode "RGB", what the dye panels must
    reproduce, white = no dye. ``overlay``: mode "1", black = lay varnish; None means a full
    overlay when the ribbon has an O panel.
    """

    k: Image.Image | None = None
    colour: Image.Image | None = None
    overlay: Image.Image | None = None

    def __post_init__(self) -> None:
        for name, mode in (("k", "1"), ("colour", "RGB"), ("overlay", "1")):
            image = getattr(self, name)
            if image is None:
                continue
            if image.size != CARD_SIZE:
                raise InvalidJobError(
                    f"panel {name} is {image.size[0]} x {image.size[1]} px; the driver needs "
                    f"{CARD_SIZE[0]} x {CARD_SIZE[1]} (landscape, 300 dpi)"
                )
            if image.mode != mode:
                raise InvalidJobError(f"panel {name} has mode {image.mode!r}; expected {mode!r}")


@dataclass(frozen=True)
class CardJob:
    """One card: the id the batch system tracks it by, the front, and an optional back."""

    job_id: str
    front: SidePanels
    back: SidePanels | None = None

    def __post_init__(self) -> None:
        if not self.job_id or len(self.job_id) > MAX_JOB_ID_LENGTH:
            raise InvalidJobError(f"job id must be 1-{MAX_JOB_ID_LENGTH} characters")
        if not self.job_id.isprintable() or not self.job_id.isascii() or ";" in self.job_id:
            raise InvalidJobError("job id must be printable ASCII without ';'")

    @property
    def sides(self) -> tuple[SidePanels, ...]:
        return (self.front,) if self.back is None else (self.front, self.back)
