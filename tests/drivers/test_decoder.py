"""The stream decoder reads exactly what a printer receives, in any chunking."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.evolis.decoder import (
    ERROR_COMMAND,
    ERROR_PARAMETERS,
    Command,
    Malformed,
    StreamParser,
)
from tests.drivers.conftest import DATA


def commands(stream: bytes, chunk: int | None = None) -> list[Command | Malformed]:
    parser = StreamParser()
    if chunk is None:
        return parser.feed(stream)
    out = []
    for i in range(0, len(stream), chunk):
        out += parser.feed(stream[i : i + chunk])
    return out


def summary(items: list[Command | Malformed]) -> list[str]:
    return [";".join((c.name, *c.params)) if isinstance(c, Command) else c.reply for c in items]


def test_capture_decodes_to_the_commands_evolis_driver_sent():
    stream = (DATA / "card-black.evolis").read_bytes()
    items = commands(stream)
    assert summary(items) == [
        "Pr;k",
        "Pmi;F;s",
        "Pc;k;=;10",
        "Pdt;DU",
        "Mr;s",
        "Ppws;1281755559",
        "Ss",
        "Sr",
        "Dbc;k;2;83312",
        "Se;1",
    ]
    assert len(items[8].data) == 83312


def test_nul_padding_between_commands_is_ignored():
    stream = b"\x00\x00\x1bSs\r" + b"\x00" * 500 + b"\x1bSe\r\x00\x00"
    assert summary(commands(stream)) == ["Ss", "Se"]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(1, 5000), min_size=1, max_size=40))
def test_any_chunking_gives_the_same_commands(cuts: list[int]):
    stream = (DATA / "card-white.evolis").read_bytes()
    whole = commands(stream)
    parser, items, position = StreamParser(), [], 0
    for size in cuts:
        items += parser.feed(stream[position : position + size])
        position += size
    items += parser.feed(stream[position:])
    assert items == whole


def test_byte_by_byte_feeding_works():
    stream = (DATA / "card-white.evolis").read_bytes()
    assert commands(stream, chunk=1) == commands(stream)


def test_payload_bytes_that_look_like_commands_stay_payload():
    payload = (b"\x1bSe\r" * 20576)[:82296]
    stream = b"\x1bDb;k;2;" + payload + b"\r\x1bSe\r"
    items = commands(stream, chunk=777)
    assert summary(items) == ["Db;k;2", "Se"]
    assert items[0].data == payload


@pytest.mark.parametrize(
    ("stream", "reply"),
    [
        (b"garbage\x1bSs\r", ERROR_COMMAND),
        (b"\x1bS1\r", ERROR_COMMAND),
        (b"\x1bDb\r", ERROR_PARAMETERS),
        (b"\x1bDb;k;3;", ERROR_PARAMETERS),
        (b"\x1bDb;y;2;", ERROR_PARAMETERS),
        (b"\x1bDbc;y;32;100;", ERROR_PARAMETERS),
        (b"\x1bDbc;k;2;zero;", ERROR_PARAMETERS),
        (b"\x1bDbc;k;2;2;ab!", ERROR_PARAMETERS),
        (b"\x1b" + b"P" * 200, ERROR_COMMAND),
        (b"\x1bSs\x1bSe\r", ERROR_COMMAND),
    ],
)
def test_malformed_input_gets_the_printer_error_reply(stream: bytes, reply: str):
    items = commands(stream)
    assert isinstance(items[0], Malformed)
    assert items[0].reply == reply


def test_parser_resynchronises_at_the_next_command():
    items = commands(b"junk\x00\x1bRtp\r")
    assert summary(items) == [ERROR_COMMAND, "Rtp"]
