"""Incremental decoder of an Evolis byte stream, exactly as a printer receives it.

Bytes arrive in arbitrary chunks (USB packets, TCP segments). Runs of NUL between commands are
padding. ``Db`` and ``Dbc`` carry binary payloads that may contain ESC and CR bytes, so their
length is taken from the header (panel size and levels, or the explicit byte count), never
from scanning for CR.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.evolis.commands import CR, ESC, LEVEL_BITS, PANELS, PORTRAIT_LINES, PORTRAIT_WIDTH

ERROR_COMMAND = "ERROR CDE"
ERROR_PARAMETERS = "ERROR PARAMETRES"
MAX_HEADER = 128


@dataclass(frozen=True)
class Command:
    name: str
    params: tuple[str, ...] = ()
    data: bytes | bytearray | None = field(default=None, repr=False, hash=False)
    """A download's payload: the parser's buffer, handed over without a copy (not hashed)."""


@dataclass(frozen=True)
class Malformed:
    """Bytes a printer cannot take; ``reply`` is the printer's error answer to them."""

    reason: str
    reply: str


def payload_length(name: str, params: list[str]) -> int:
    """Bytes of payload announced by a ``Db``/``Dbc`` header; ValueError when it is invalid."""
    panel, levels = params[0], int(params[1])
    if len(panel) != 1 or panel not in PANELS or levels not in LEVEL_BITS:
        raise ValueError(f"panel {panel!r} with {levels} levels")
    if (panel in "ko") != (levels == 2):
        raise ValueError(f"panel {panel} cannot take {levels} levels")
    if name == "Dbc":
        if levels != 2:
            raise ValueError("compressed download of a dye panel")
        count = int(params[2])
        if not 0 < count <= PORTRAIT_LINES * (PORTRAIT_WIDTH // 8 + 1):
            raise ValueError(f"byte count {count}")
        return count
    return PORTRAIT_WIDTH * PORTRAIT_LINES * LEVEL_BITS[levels] // 8


class StreamParser:
    """Feed bytes, get back the complete commands (and malformed pieces) they finish."""

    def __init__(self) -> None:
        self._state = "idle"
        self._header = bytearray()
        self._data = bytearray()
        self._have = self._need = 0
        self._pending: tuple[str, tuple[str, ...]] = ("", ())

    @property
    def in_payload(self) -> bool:
        """True while the bytes of a bitmap download are arriving."""
        return self._state == "data"

    def feed(self, chunk: bytes) -> list[Command | Malformed]:
        out: list[Command | Malformed] = []
        view = memoryview(chunk)
        i, n = 0, len(chunk)
        while i < n:
            if self._state == "data":
                take = min(self._need - self._have, n - i)
                self._data[self._have : self._have + take] = view[i : i + take]
                self._have += take
                i += take
                if self._have == self._need:
                    self._state = "data-end"
                continue
            byte = chunk[i]
            i += 1
            if self._state == "idle":
                if byte == ESC:
                    self._start_header()
                elif byte != 0:
                    out.append(
                        Malformed(f"stray byte 0x{byte:02x} outside a command", ERROR_COMMAND)
                    )
                    self._state = "skip"
            elif self._state == "skip":
                if byte == ESC:
                    self._start_header()
            elif self._state == "data-end":
                name, params = self._pending
                if byte == CR:
                    out.append(Command(name, params, self._data))
                    self._state = "idle"
                else:
                    out.append(Malformed(f"{name} payload longer than announced", ERROR_PARAMETERS))
                    self._state = "skip"
                self._data = bytearray()
            else:
                self._header_byte(byte, out)
        return out

    def _start_header(self) -> None:
        self._header = bytearray()
        self._state = "header"

    def _header_byte(self, byte: int, out: list[Command | Malformed]) -> None:
        if byte == ESC:
            out.append(Malformed("command cut short by the next ESC", ERROR_COMMAND))
            self._start_header()
            return
        if byte == CR:
            out.append(self._short_command())
            self._state = "idle"
            return
        self._header.append(byte)
        if len(self._header) > MAX_HEADER:
            out.append(Malformed("command header too long", ERROR_COMMAND))
            self._state = "skip"
            return
        if byte == ord(";"):
            self._maybe_download(out)

    def _short_command(self) -> Command | Malformed:
        try:
            text = self._header.decode("ascii")
        except UnicodeDecodeError:
            return Malformed("non-ASCII command", ERROR_COMMAND)
        name, *params = text.split(";")
        if not name.isalpha():
            return Malformed(f"bad command name {name!r}", ERROR_COMMAND)
        if name in ("Db", "Dbc"):
            return Malformed(f"{name} without bitmap data", ERROR_PARAMETERS)
        return Command(name, tuple(params))

    def _maybe_download(self, out: list[Command | Malformed]) -> None:
        fields = self._header.split(b";")
        name = fields[0]
        if name not in (b"Db", b"Dbc") or len(fields) - 1 < (3 if name == b"Db" else 4):
            return
        text_name = name.decode()
        params = [f.decode("ascii", "replace") for f in fields[1:-1]]
        try:
            self._need = payload_length(text_name, params)
        except (ValueError, IndexError) as exc:
            out.append(Malformed(f"{text_name}: {exc}", ERROR_PARAMETERS))
            self._state = "skip"
            return
        self._pending = (text_name, tuple(params))
        self._data = bytearray(self._need)
        self._have = 0
        self._state = "data"
