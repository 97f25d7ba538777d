"""Panel bitmaps <-> the bytes of Evolis downloads, vectorised with numpy.

Speed matters: a YMCKO card is five panels of 648 x 1016 pixels and the goal is to encode one
in under 20 ms, so nothing here loops over pixels in Python.
"""

from __future__ import annotations

import numpy as np

from drivers.evolis.commands import LINE_BYTES, PORTRAIT_LINES, PORTRAIT_WIDTH

PANEL_SHAPE = (PORTRAIT_LINES, PORTRAIT_WIDTH)


def to_portrait(landscape: np.ndarray) -> np.ndarray:
    """Rotate a landscape card a quarter turn clockwise into the printer's portrait bitmap.

    The direction follows dpavlin/Printer-EVOLIS, whose driver rotates with ``pnmflip
    -rotate270``; which edge of the card leads into the printer is *unconfirmed* for other
    models, so the rotation lives here and nowhere else.
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


def _byte_plan(bits: int) -> list[list[tuple[int, int]]]:
    """For each of the ``bits`` bytes that 8 pixels fill: (pixel, left shift) pairs."""
    plan = []
    for byte in range(bits):
        low, high = byte * 8, byte * 8 + 8
        terms = []
        for pixel in range(8):
            start, end = pixel * bits, pixel * bits + bits
            if start < high and end > low:
                terms.append((pixel, high - end))
        plan.append(terms)
    return plan


_PLANS = {bits: _byte_plan(bits) for bits in (5, 6, 7)}


def pack_levels(values: np.ndarray, bits: int) -> bytes:
    """Pack dye levels of ``bits`` bits each into a gapless big-endian bit stream.

    Eight pixels of b bits fill exactly b bytes; each output byte is an OR of two or three
    shifted pixel columns. uint8 shifts wrap, which drops exactly the bits that belong to the
    neighbouring bytes. Columns are laid out contiguously first: numpy is several times faster
    on contiguous rows than on every eighth byte.
    """
    pixels = np.ascontiguousarray(values, dtype=np.uint8).reshape(-1, 8).T.copy()
    out = np.zeros((bits, pixels.shape[1]), dtype=np.uint8)
    for byte, terms in enumerate(_PLANS[bits]):
        for pixel, shift in terms:
            part = pixels[pixel]
            out[byte] |= (part << shift) if shift >= 0 else (part >> -shift)
    return out.T.tobytes()


def unpack_levels(data: bytes, bits: int) -> np.ndarray:
    """Inverse of ``pack_levels``: each pixel is one or two shifted byte columns."""
    raw = np.frombuffer(data, dtype=np.uint8).reshape(-1, bits).T.copy()
    out = np.zeros((8, raw.shape[1]), dtype=np.uint8)
    for byte, terms in enumerate(_PLANS[bits]):
        for pixel, shift in terms:
            out[pixel] |= (raw[byte] >> shift) if shift >= 0 else (raw[byte] << -shift)
    out &= np.uint8((1 << bits) - 1)
    return np.ascontiguousarray(out.T).reshape(PANEL_SHAPE)


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


def decompress_lines(data: bytes) -> bytes:
    """Inverse of ``compress_lines``; ValueError unless the data makes exactly 1016 lines."""
    out = bytearray()
    position = 0
    for line in range(PORTRAIT_LINES):
        if position >= len(data):
            raise ValueError(f"compressed panel ends after {line} of {PORTRAIT_LINES} lines")
        count = data[position]
        position += 1
        if count == 0:
            out += bytes(LINE_BYTES)
        elif count == 0xFF:
            out += b"\xff" * LINE_BYTES
        elif count <= LINE_BYTES and position + count <= len(data):
            out += data[position : position + count] + bytes(LINE_BYTES - count)
            position += count
        else:
            raise ValueError(f"bad count byte {count} on line {line}")
    if position != len(data):
        raise ValueError(f"{len(data) - position} bytes left after {PORTRAIT_LINES} lines")
    return bytes(out)
