"""Bit packing, line compression and rotation against hand-computed bytes and round trips."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.evolis import raster

SHAPE = raster.PANEL_SHAPE


def test_one_bit_panels_pack_msb_first_bit_1_is_ink():
    ink = np.zeros(SHAPE, dtype=bool)
    ink[0, 0] = ink[0, 9] = ink[1, 647] = True
    packed = raster.pack_bits(ink)
    assert len(packed) == 81 * 1016
    assert packed[:2] == b"\x80\x40"
    assert packed[81 + 80] == 0x01


@pytest.mark.parametrize(
    ("bits", "first_pixels", "expected"),
    [
        (5, [31, 0, 0, 0, 0, 0, 0, 1], b"\xf8\x00\x00\x00\x01"),
        (
            5,
            [1, 2, 3, 4, 5, 6, 7, 8],
            bytes([0b00001000, 0b10000110, 0b01000010, 0b10011000, 0b11101000]),
        ),
        (6, [63, 0, 0, 63, 0, 0, 0, 0], b"\xfc\x00\x3f\x00\x00\x00"),
        (7, [127, 0, 0, 0, 0, 0, 0, 127], b"\xfe\x00\x00\x00\x00\x00\x7f"),
    ],
)
def test_dye_levels_pack_without_gaps(bits: int, first_pixels: list[int], expected: bytes):
    values = np.zeros(SHAPE, dtype=np.uint8)
    values[0, :8] = first_pixels
    packed = raster.pack_levels(values, bits)
    assert len(packed) == 648 * 1016 * bits // 8
    assert packed[:bits] == expected
    assert not any(packed[bits:])


@settings(max_examples=15, deadline=None)
@given(bits=st.sampled_from([5, 6, 7]), seed=st.integers(0, 2**32 - 1))
def test_dye_levels_round_trip(bits: int, seed: int):
    values = np.random.default_rng(seed).integers(0, 2**bits, size=SHAPE, dtype=np.uint8)
    assert np.array_equal(raster.unpack_levels(raster.pack_levels(values, bits), bits), values)


def test_quantise_maps_white_to_no_dye_and_full_dye_to_top_level():
    dye = np.array([0, 4, 8, 128, 255], dtype=np.uint8)
    assert raster.quantise(dye, 32).tolist() == [0, 0, 1, 16, 31]
    assert raster.quantise(dye, 128).tolist() == [0, 2, 4, 64, 127]


def _lines(*rows: bytes) -> bytes:
    out = bytearray()
    for row in rows:
        out += row.ljust(81, b"\x00")
    return bytes(out).ljust(81 * 1016, b"\x00")


def test_line_compression_matches_the_captured_form():
    packed = _lines(b"\xff" * 81, b"", b"\xa0", b"\x55" * 81, b"\x01\x00\x02")
    compressed = raster.compress_lines(packed)
    assert compressed[:1] == b"\xff"
    assert compressed[1:2] == b"\x00"
    assert compressed[2:4] == b"\x01\xa0"
    assert compressed[4:86] == b"\x51" + b"\x55" * 81
    assert compressed[86:90] == b"\x03\x01\x00\x02"
    assert compressed[90:] == b"\x00" * (1016 - 5)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 1015), st.integers(0, 80), st.integers(1, 255)), max_size=60)
)
def test_line_compression_round_trips(marks: list[tuple[int, int, int]]):
    rows = np.zeros((1016, 81), dtype=np.uint8)
    for line, column, value in marks:
        rows[line, column] = value
    rows[5] = 0xFF
    packed = rows.tobytes()
    assert raster.decompress_lines(raster.compress_lines(packed)) == packed


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00" * 1015, b"\x00" * 1017, b"\x52" + b"\x00" * 1100, b"\x05\x01"],
)
def test_broken_compressed_panels_are_rejected(data: bytes):
    with pytest.raises(ValueError):
        raster.decompress_lines(data)


def test_landscape_top_left_becomes_portrait_top_right():
    landscape = np.zeros((648, 1016), dtype=np.uint8)
    landscape[0, 0] = 1
    landscape[647, 0] = 2
    portrait = raster.to_portrait(landscape)
    assert portrait.shape == (1016, 648)
    assert portrait[0, 647] == 1
    assert portrait[0, 0] == 2
    assert np.array_equal(raster.to_landscape(portrait), landscape)


def _reference_levels(values: np.ndarray, bits: int) -> bytes:
    """Pack portrait levels the slow, obvious way: every pixel's bits, MSB first, in a row."""
    shifts = np.arange(bits - 1, -1, -1)
    stream = (values[..., None] >> shifts) & 1
    return np.packbits(stream.reshape(values.shape[0], -1), axis=1).tobytes()


@settings(max_examples=10, deadline=None)
@given(bits=st.sampled_from([5, 6, 7]), seed=st.integers(0, 2**32 - 1))
def test_landscape_packing_is_turning_then_packing(bits: int, seed: int):
    portrait = np.random.default_rng(seed).integers(0, 2**bits, size=SHAPE, dtype=np.uint8)
    landscape = raster.to_landscape(portrait)
    packed = _reference_levels(portrait, bits)
    assert raster.pack_levels(portrait, bits) == packed
    assert raster.pack_levels_landscape(landscape, bits) == packed
    assert np.array_equal(raster.unpack_levels_landscape(packed, bits), landscape)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_landscape_bits_are_turning_then_packing(seed: int):
    portrait = np.random.default_rng(seed).integers(0, 2, size=SHAPE).astype(bool)
    landscape = raster.to_landscape(portrait)
    packed = raster.pack_bits(portrait)
    assert packed == _reference_levels(portrait.view(np.uint8), 1)
    assert raster.pack_bits_landscape(landscape) == packed
    assert np.array_equal(raster.unpack_bits_landscape(packed), landscape)
