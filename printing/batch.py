"""Many cards into one PDF file, streamed: memory does not grow with the number of cards.

Cards are drawn into a ReportLab document of at most `chunk_size` pages; a full chunk is saved
and appended to the output by `PdfJoiner`, then dropped. Within a chunk, fonts and the fixed
parts of the layout are stored once and shared by its pages.

A card that cannot be printed raises from `add` before anything of it is drawn, so the caller
can report it and carry on: the batch stays a valid PDF of the cards that were added.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import BinaryIO

from .card import CardData
from .errors import PrintingError
from .pdf import CardPages
from .pdfjoin import PdfJoiner
from .plan import plan_card

DEFAULT_CHUNK_SIZE = 200


class BatchWriter:
    """Write cards, one page each, to the binary file object `out`; use as a context manager."""

    def __init__(self, out: BinaryIO, chunk_size: int = DEFAULT_CHUNK_SIZE):
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        self._joiner = PdfJoiner(out)
        self._chunk_size = chunk_size
        self._buffer: io.BytesIO | None = None
        self._pages: CardPages | None = None
        self._closed = False
        self.count = 0

    def add(self, card: CardData) -> None:
        """Append one card; raises the card's `PrintingError` and adds nothing if it can't print."""
        if self._closed:
            raise ValueError("batch already closed")
        plan = plan_card(card)
        if self._pages is None:
            self._buffer = io.BytesIO()
            self._pages = CardPages(self._buffer)
        self._pages.add(plan)
        self.count += 1
        if self._pages.count >= self._chunk_size:
            self._flush()

    def close(self) -> None:
        """Finish the PDF (the file object itself is left open for the caller).

        A PDF needs at least one page: closing a batch no card was added to is an error.
        """
        if self._closed:
            return
        self._closed = True
        if self.count == 0:
            raise PrintingError("no card was added to the batch; a PDF needs at least one card",
                                "empty-batch")
        self._flush()
        self._joiner.close()

    def _flush(self) -> None:
        pages, buffer = self._pages, self._buffer
        if pages is None or buffer is None:
            return
        self._pages = self._buffer = None
        pages.save()
        self._joiner.add_document(buffer.getvalue())

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None or self.count:
            self.close()


def write_batch_pdf(
    cards: Iterable[CardData], out: BinaryIO, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> int:
    """Write every card of `cards` to `out` as one PDF; returns the number of pages."""
    with BatchWriter(out, chunk_size) as writer:
        for card in cards:
            writer.add(card)
    return writer.count
