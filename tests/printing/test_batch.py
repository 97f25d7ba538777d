"""The streaming batch PDF: one page per card, same pixels as a single card, bounded memory."""

from __future__ import annotations

import dataclasses
import io
import re
import tracemalloc

import numpy as np
import pypdfium2 as pdfium
import pytest

from printing import (
    BatchWriter,
    FieldDoesNotFitError,
    PrintingError,
    render_pdf,
    write_batch_pdf,
)

from .pdftools import page_size_mm, raster, text


def numbered(card, count: int, start: int = 0):
    """`count` cards with distinct NIKs and byte-distinct photos (a JPEG comment per card)."""
    for i in range(start, start + count):
        comment = b"card %08d" % i
        photo = card.photo[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
        serial = 810000 + i % 9999 + 1
        yield dataclasses.replace(card, nik=f"3314011708{serial:06d}", photo=photo + card.photo[2:])


class Discard(io.RawIOBase):
    """A write-only sink that only counts bytes (memory tests must not keep the output)."""

    def __init__(self):
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def test_one_page_per_card_in_order_across_chunks(card):
    out = io.BytesIO()
    cards = list(numbered(card, 23))
    assert write_batch_pdf(cards, out, chunk_size=10) == 23
    pdf = out.getvalue()
    assert len(pdfium.PdfDocument(pdf)) == 23
    for i in (0, 9, 10, 22):
        assert cards[i].nik in text(pdf, i)
        assert page_size_mm(pdf, i) == pytest.approx((85.60, 53.98), abs=0.005)


def test_a_batch_page_looks_exactly_like_the_single_card(card):
    cards = list(numbered(card, 5))
    out = io.BytesIO()
    write_batch_pdf(cards, out, chunk_size=2)
    for i in (0, 3, 4):
        assert np.array_equal(raster(out.getvalue(), i), raster(render_pdf(cards[i])))


def test_batch_is_byte_identical_for_the_same_cards(card):
    first, second = io.BytesIO(), io.BytesIO()
    write_batch_pdf(numbered(card, 7), first, chunk_size=3)
    write_batch_pdf(numbered(card, 7), second, chunk_size=3)
    assert first.getvalue() == second.getvalue()


def test_xref_table_points_at_every_object(card):
    out = io.BytesIO()
    write_batch_pdf(numbered(card, 12), out, chunk_size=5)
    pdf = out.getvalue()
    start = int(pdf[pdf.rindex(b"startxref") + 9:].split()[0])
    entries = re.findall(rb"(\d{10}) 00000 n ", pdf[start:])
    assert len(entries) > 12 * 3
    for number, offset in enumerate(entries, start=1):
        assert pdf.startswith(b"%d 0 obj" % number, int(offset))


def test_a_card_that_cannot_print_is_refused_and_the_batch_goes_on(card):
    out = io.BytesIO()
    with BatchWriter(out, chunk_size=2) as batch:
        batch.add(card)
        with pytest.raises(FieldDoesNotFitError):
            batch.add(dataclasses.replace(card, alamat="W" * 120))
        batch.add(dataclasses.replace(card, nama="SITI AMINAH"))
    pdf = out.getvalue()
    assert len(pdfium.PdfDocument(pdf)) == 2
    assert "SITI AMINAH" in text(pdf, 1)


def test_wni_and_wna_cards_share_a_batch(card):
    wna = dataclasses.replace(card, layout="ktp-wna", kewarganegaraan="WNA",
                              berlaku_hingga=card.tanggal_terbit)
    out = io.BytesIO()
    write_batch_pdf([card, wna, card], out)
    pdf = out.getvalue()
    assert "Nama" in text(pdf, 0) and "Name" in text(pdf, 1) and "Nama" in text(pdf, 2)


def test_empty_batch_is_an_error():
    with pytest.raises(PrintingError, match="no card"):
        write_batch_pdf([], io.BytesIO())


def _peak_bytes(card, count: int) -> int:
    tracemalloc.start()
    try:
        write_batch_pdf(numbered(card, count), Discard(), chunk_size=10)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_cards(card):
    # Untraced warm-up: caches and CPython's free lists fill once, before measuring.
    write_batch_pdf(numbered(card, 300), Discard(), chunk_size=10)
    small = _peak_bytes(card, 30)
    large = _peak_bytes(card, 300)
    assert large < small * 1.2, (small, large)
