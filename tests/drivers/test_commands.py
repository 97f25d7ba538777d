"""Every command the driver can send, byte for byte."""

from __future__ import annotations

import pytest

from drivers.evolis import commands as cmd


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (cmd.select_ribbon("ymcko"), b"\x1bPr;ymcko\r"),
        (cmd.select_ribbon("k"), b"\x1bPr;k\r"),
        (cmd.select_ribbon("ymckok"), b"\x1bPr;ymckok\r"),
        (cmd.FEED_FROM_FEEDER, b"\x1bPmi;F;s\r"),
        (cmd.START_SEQUENCE, b"\x1bSs\r"),
        (cmd.FRONT, b"\x1bSr\r"),
        (cmd.BACK, b"\x1bSv\r"),
        (cmd.END_SEQUENCE, b"\x1bSe\r"),
        (cmd.READ_MODEL, b"\x1bRtp\r"),
        (cmd.READ_SERIAL, b"\x1bRsn\r"),
        (cmd.READ_FIRMWARE, b"\x1bRfv\r"),
        (cmd.READ_HEAD, b"\x1bRkn\r"),
        (cmd.READ_CARDS_INSERTED, b"\x1bRco;c\r"),
        (cmd.READ_PANELS_PRINTED, b"\x1bRco;p\r"),
        (cmd.READ_CARD_POSITION, b"\x1bRlr;p\r"),
        (cmd.READ_COVER_SENSOR, b"\x1bRse;o\r"),
        (cmd.READ_FEEDER_SENSOR, b"\x1bRse;f\r"),
        (cmd.READ_RIBBON_REMAINING, b"\x1bRcr\r"),
        (cmd.command("Pc", "k", "=", 10), b"\x1bPc;k;=;10\r"),
        (cmd.virtual_job("job-7"), b"\x1bVji;job-7\r"),
    ],
)
def test_command_bytes(frame: bytes, expected: bytes):
    assert frame == expected


def test_the_settings_evolis_own_driver_sends_frame_identically():
    capture_head = (
        b"\x1bPr;k\r\x1bPmi;F;s\r\x1bPc;k;=;10\r\x1bPdt;DU\r\x1bMr;s\r\x1bPpws;1281755559\r"
        b"\x1bSs\r\x1bSr\r"
    )
    ours = b"".join(
        [
            cmd.select_ribbon("k"),
            cmd.FEED_FROM_FEEDER,
            cmd.command("Pc", "k", "=", "10"),
            cmd.command("Pdt", "DU"),
            cmd.command("Mr", "s"),
            cmd.command("Ppws", 1281755559),
            cmd.START_SEQUENCE,
            cmd.FRONT,
        ]
    )
    assert ours == capture_head


@pytest.mark.parametrize("bad", ["a;b", "x\r", "\x1b", "nul\x00", "é"])
def test_text_that_would_break_framing_is_refused(bad: str):
    with pytest.raises(ValueError):
        cmd.command("Vji", bad)


def test_unknown_ribbon_is_refused():
    with pytest.raises(ValueError, match="unknown ribbon"):
        cmd.select_ribbon("rainbow")


def test_uncompressed_download_frames_header_payload_and_cr():
    payload = bytes(range(256)) * (82296 // 256) + bytes(82296 % 256)
    frame = cmd.download("k", 2, payload)
    assert frame[:8] == b"\x1bDb;k;2;"
    assert frame[8:-1] == payload
    assert frame[-1:] == b"\r"


@pytest.mark.parametrize(("levels", "size"), [(32, 411480), (64, 493776), (128, 576072)])
def test_dye_panel_sizes_follow_bits_per_pixel(levels: int, size: int):
    frame = cmd.download("y", levels, bytes(size))
    assert frame.startswith(b"\x1bDb;y;%d;" % levels)
    assert len(frame) == len(b"\x1bDb;y;%d;" % levels) + size + 1
    with pytest.raises(ValueError):
        cmd.download("y", levels, bytes(size - 1))


def test_compressed_download_carries_explicit_byte_count():
    frame = cmd.download_compressed("k", 2, b"\x00" * 1016)
    assert frame == b"\x1bDbc;k;2;1016;" + b"\x00" * 1016 + b"\r"


@pytest.mark.parametrize(
    ("panel", "levels"), [("k", 32), ("y", 2), ("o", 64), ("x", 2), ("ym", 32)]
)
def test_panel_and_levels_must_match(panel: str, levels: int):
    with pytest.raises(ValueError):
        cmd.download(panel, levels, b"")


def test_dye_panels_are_never_sent_compressed():
    with pytest.raises(ValueError):
        cmd.download_compressed("y", 32, b"\x00")
