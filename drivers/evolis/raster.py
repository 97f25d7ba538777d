"""Panel bitmaps <-> the bytes of Evolis downloads, vectorised with numpy.

Speed matters: a YMCKO card is five panels of 648 x 1016 pixels, the goal is to encode one in
under 20 ms, and the virtual printer rebuilds every panel it receives. So nothing here loops
over pixels in Python, and the hot paths (``*_landscape``) work on the card as it is seen:
they turn it while packing or unpacking, transposing bytes rather than pixels, and shift 8
bytes at a time (numpy has no vector shift for single bytes: ten times slower).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from drivers.evolis.commands import LINE_BYTES, PORTRAIT_LINES, PORTRAIT_WIDTH

PANEL_SHAPE = (PORTRAIT_LINES, PORTRAIT_WIDTH)
WORD = np.uint64
"""8 bytes of a row, shifted at once; masks drop the bits a shift carries between them."""


def to_portrait(landscape: np.ndarray) -> np.ndarray:
    """Rotate a landscape card a quarter turn clockwise into the printer's portrait bitmap.

    The direction follows dpavlin/Printer-EVOLIS, whose driver rotates with ``pnmflip
    -rotate270``; which edge of the card leads into the printer is *unconfirmed* for other
    models, so the rotation lives in this module: here, and in the ``*_landscape`` packers,
    which are tested to equal packing or unpacking combined with these two functions.
    """
    return np.ascontiguousarray(np.rot90(landscape, k=-1))


def to_landscape(portrait: np.ndarray) -> np.ndarray:
    """The inverse of ``to_portrait``: what comes out of the printer, seen the right way up."""
    return np.ascontiguousarray(np.rot90(portrait, k=1))


def pack_bits(ink: np.ndarray) -> bytes:
    """1 bit per pixel, bit 1 = print, most significant bit first, 81 bytes per line."""
    return np.packbits(ink.astype(bool), axis=1).tobytes()


def unpack_bits(data: bytes) -> np.ndarray:
    rows = np.frombuffer(data, dtype=np.uint8).reshape(PORTRAIT_LINES, LINE_BYTES)
    return np.unpackbits(rows, axis=1).astype(bool)


def pack_levels(values: np.ndarray, bits: int) -> bytes:
    """Pack portrait dye levels of ``bits`` bits each into a gapless big-endian bit stream."""
    return pack_levels_landscape(to_landscape(np.asarray(values, dtype=np.uint8)), bits)


def unpack_levels(data: bytes, bits: int) -> np.ndarray:
    """Inverse of ``pack_levels``, as the portrait panel."""
    return to_portrait(unpack_levels_landscape(data, bits))


def _bytes_of(value: int) -> np.uint64:
    """``value`` (one byte) in every byte of a word."""
    return WORD(value * 0x0101010101010101)


def _shifted(plane: np.ndarray, shift: int) -> np.ndarray:
    """``plane`` shifted left by ``shift`` (right when negative)."""
    return plane << WORD(shift) if shift >= 0 else plane >> WORD(-shift)


def _packing(bits: int) -> list[list[tuple[int, int, np.uint64]]]:
    """Eight pixels of ``bits`` bits fill ``bits`` bytes. For each byte: (pixel, left shift,
    mask of the shifted pixel's bits that land in this byte) for the two or three pixels in it.
    """
    plan = []
    for byte in range(bits):
        low, high = byte * 8, byte * 8 + 8
        terms = []
        for pixel in range(8):
            start, end = pixel * bits, pixel * bits + bits
            if start < high and end > low:
                shift, full = high - end, (1 << bits) - 1
                kept = full << shift if shift >= 0 else full >> -shift
                terms.append((pixel, shift, _bytes_of(kept & 0xFF)))
        plan.append(terms)
    return plan


def _unpacking(bits: int) -> list[list[tuple[int, int, np.uint64]]]:
    """For each of the 8 pixels: (byte, the shift undoing the packing one, mask of the
    pixel's bits that byte yields)."""
    terms: list[list[tuple[int, int, np.uint64]]] = [[] for _ in range(8)]
    for byte, pairs in enumerate(_PACKING[bits]):
        for pixel, shift, _ in pairs:
            held = (0xFF >> shift if shift >= 0 else 0xFF << -shift) & ((1 << bits) - 1)
            terms[pixel].append((byte, -shift, _bytes_of(held)))
    return terms


_PACKING = {bits: _packing(bits) for bits in (1, 5, 6, 7)}
_UNPACKING = {bits: _unpacking(bits) for bits in (5, 6, 7)}


def pack_levels_landscape(values: np.ndarray, bits: int) -> bytes:
    """``pack_levels(to_portrait(values), bits)`` without transposing pixels.

    Landscape rows 8G..8G+7 are portrait group 80-G, pixels 7..0, and each row holds that
    pixel for all 1016 lines: the packed bytes are built from whole rows, 8 lines per word,
    then transposed once into lines (a plain 2-D transpose of bytes, 8/bits times fewer than
    pixels).
    """
    rows = np.ascontiguousarray(values, dtype=np.uint8).reshape(LINE_BYTES, 8, PORTRAIT_LINES)
    pixels = rows[::-1].view(WORD)  # [g, 7 - p]: pixel p of portrait group g
    out = np.empty((LINE_BYTES, bits, pixels.shape[2]), dtype=WORD)
    for byte, terms in enumerate(_PACKING[bits]):
        plane = out[:, byte]
        plane[...] = 0
        for pixel, shift, mask in terms:
            plane |= _shifted(pixels[:, 7 - pixel], shift) & mask
    return out.view(np.uint8).reshape(-1, PORTRAIT_LINES).T.tobytes()


def pack_bits_landscape(ink: np.ndarray) -> bytes:
    """``pack_bits(to_portrait(ink))``: 1-bit pixels are 8 pixels in a byte, MSB first."""
    return pack_levels_landscape(np.asarray(ink, dtype=bool).view(np.uint8), 1)


def unpack_levels_landscape(data: bytes | bytearray | memoryview, bits: int) -> np.ndarray:
    """``to_landscape(unpack_levels(data, bits))``: the inverse of ``pack_levels_landscape``.

    The packed bytes are transposed once, and each pixel (one or two shifted byte planes, 8
    lines per word) is written to its landscape row, 647-8g-p for pixel p of group g.
    """
    raw = np.frombuffer(data, dtype=np.uint8).reshape(PORTRAIT_LINES, LINE_BYTES * bits)
    planes = np.ascontiguousarray(raw.T).view(WORD).reshape(LINE_BYTES, bits, -1)
    out = np.empty((LINE_BYTES, 8, planes.shape[2]), dtype=WORD)
    for pixel, ((byte, shift, mask), *rest) in enumerate(_UNPACKING[bits]):
        row = out[::-1, 7 - pixel]
        np.bitwise_and(_shifted(planes[:, byte], shift), mask, out=row)
        for byte, shift, mask in rest:
            row |= _shifted(planes[:, byte], shift) & mask
    return out.view(np.uint8).reshape(PORTRAIT_WIDTH, PORTRAIT_LINES)


def unpack_bits_landscape(data: bytes | bytearray | memoryview) -> np.ndarray:
    """``to_landscape(unpack_bits(data))``: bit b (from the least significant) of portrait
    group 80-G is landscape row 8G+b, so the bytes are transposed with their groups reversed
    and each bit is shifted down in place."""
    rows = np.frombuffer(data, dtype=np.uint8).reshape(PORTRAIT_LINES, LINE_BYTES)
    columns = np.ascontiguousarray(rows.T[::-1]).view(WORD)
    ink = np.empty((LINE_BYTES, 8, columns.shape[1]), dtype=WORD)
    for bit in range(8):
        np.bitwise_and(columns >> WORD(bit), _bytes_of(1), out=ink[:, bit])
    return ink.view(bool).reshape(PORTRAIT_WIDTH, PORTRAIT_LINES)


def quantise(dye: np.ndarray, levels: int) -> np.ndarray:
    """0-255 dye amounts (0 = none) to 0..levels-1, rounding to the nearest level."""
    return ((dye.astype(np.uint32) * (levels - 1) + 127) // 255).astype(np.uint8)


def compress_lines(packed: bytes) -> bytes:
    """The ``Dbc`` line compression: per 81-byte line a count byte, 0x00 for an empty line,
    0xFF for a fully inked one, else N followed by the line's first N bytes (the rest empty)."""
    rows = np.frombuffer(packed, dtype=np.uint8).reshape(PORTRAIT_LINES, LINE_BYTES)
    inked = rows != 0
    used = LINE_BYTES - np.argmax(inked[:, ::-1], axis=1)
    empty = ~inked.any(axis=1)
    full = (rows == 0xFF).all(axis=1)
    header = np.where(full, 0xFF, np.where(empty, 0, used)).astype(np.uint8)
    lengths = np.where(full | empty, 0, used)
    table = np.empty((PORTRAIT_LINES, LINE_BYTES + 1), dtype=np.uint8)
    table[:, 0] = header
    table[:, 1:] = rows
    keep = np.ones(table.shape, dtype=bool)
    keep[:, 1:] = np.arange(LINE_BYTES) < lengths[:, None]
    return table[keep].tobytes()


def _line_starts(data: bytes | memoryview) -> list[int]:
    """Where each line's count byte is; ValueError unless they make exactly 1016 lines.

    A line starts where the previous one ends, so this walk is sequential (and kept minimal).
    """
    starts = [0] * PORTRAIT_LINES
    position, size = 0, len(data)
    for line in range(PORTRAIT_LINES):
        if position >= size:
            raise ValueError(f"compressed panel ends after {line} of {PORTRAIT_LINES} lines")
        count = data[position]
        starts[line] = position
        if count == 0 or count == 0xFF:
            position += 1
        elif count <= LINE_BYTES and position + 1 + count <= size:
            position += 1 + count
        else:
            raise ValueError(f"bad count byte {count} on line {line}")
    if position != size:
        raise ValueError(f"{size - position} bytes left after {PORTRAIT_LINES} lines")
    return starts


def decompress_lines(data: bytes | memoryview) -> bytes:
    """Inverse of ``compress_lines``; ValueError unless the data makes exactly 1016 lines.

    Only the walk over count bytes is Python; the lines are filled by numpy, partly inked
    ones by gathering 81-byte windows after their count bytes and blanking past the count.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    starts = np.array(_line_starts(data))
    counts = raw[starts]
    rows = np.zeros((PORTRAIT_LINES, LINE_BYTES), dtype=np.uint8)
    rows[counts == 0xFF] = 0xFF
    partial = np.flatnonzero((counts != 0) & (counts != 0xFF))
    if partial.size:
        padded = np.concatenate([raw, np.zeros(LINE_BYTES, dtype=np.uint8)])
        windows = sliding_window_view(padded, LINE_BYTES)[starts[partial] + 1]
        used = np.arange(LINE_BYTES) < counts[partial, None]
        rows[partial] = np.where(used, windows, 0)
    return rows.tobytes()
