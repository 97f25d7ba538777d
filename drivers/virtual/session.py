"""One connection to the virtual printer: parses its byte stream and answers each command.

Settings are checked the way a printer checks them, so a malformed command or parameter gets the
printer's error reply ("ERROR CDE", "ERROR PARAMETRES") instead of being silently accepted.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from drivers.evolis import commands as cmd
from drivers.evolis import raster, replies
from drivers.evolis.decoder import (
    ERROR_COMMAND,
    ERROR_PARAMETERS,
    Command,
    Malformed,
    StreamParser,
)
from drivers.virtual.device import CardSequence
from drivers.virtual.output import Panel, Side

if TYPE_CHECKING:
    from drivers.virtual.device import VirtualPrinter

DISCONNECT_AFTER = 64
"""Bytes of a doomed card's first bitmap that get through before the link drops."""


class SessionClosed(ConnectionError):
    """The virtual printer went away (an injected disconnect)."""


def _int_in(text: str, low: int, high: int) -> bool:
    try:
        return low <= int(text) <= high
    except ValueError:
        return False


SETTING_RULES = {
    "Pr": lambda p: len(p) == 1 and p[0] in cmd.RIBBONS,
    "Pmi": lambda p: 1 <= len(p) <= 2 and p[0] in ("F", "M", "B"),
    "Pc": lambda p: len(p) == 3 and p[0] in cmd.PANELS and p[1] in "=+-" and _int_in(p[2], 0, 20),
    "Pl": lambda p: len(p) == 3 and p[0] in cmd.PANELS and p[1] in "=+-" and _int_in(p[2], 0, 20),
    "Ps": lambda p: len(p) >= 1 and all(x for x in p),
    "Pdt": lambda p: len(p) == 1 and p[0] != "",
    "Mr": lambda p: len(p) == 1 and p[0] != "",
    "Ppws": lambda p: len(p) == 1 and p[0].isdigit(),
    "Pem": lambda p: len(p) == 1 and p[0] in ("0", "1", "2"),
    "Pneab": lambda p: len(p) == 1 and p[0] != "",
}


class Session:
    """``epoch`` None: a session of the control port, where the vendor-private ``Vctl``
    commands are accepted (``drivers.virtual.control``) and which no fault cuts off."""

    def __init__(self, printer: VirtualPrinter, epoch: int | None) -> None:
        self.printer = printer
        self._epoch = epoch
        self.control = epoch is None
        self._parser = StreamParser()
        self._out = bytearray()
        self._ready = threading.Condition()
        self._closed = False
        self._doomed = False
        self._ribbon: str | None = None
        self._job_id: str | None = None
        self._card: CardSequence | None = None
        self._side: Side | None = None

    @property
    def closed(self) -> bool:
        return self._closed or not self.printer.connected(self._epoch)

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()

    def reset(self) -> None:
        """USB SOFT_RESET: drop half-received commands and unread replies."""
        with self._ready:
            self._parser = StreamParser()
            self._out.clear()
            self._card = self._side = None

    def feed(self, data: bytes) -> None:
        if self.closed:
            raise SessionClosed("virtual printer disconnected")
        if self._doomed:
            start = data.find(b"\x1bDb")
            if start >= 0 or self._parser.in_payload:
                self._parser.feed(data[: max(start, 0) + DISCONNECT_AFTER])
                self.printer.disconnect()
                self.close()
                raise SessionClosed("virtual printer disconnected mid-transfer")
        for item in self._parser.feed(data):
            self._emit(self.handle(item))

    def _emit(self, reply: str) -> None:
        with self._ready:
            self._out += reply.encode("ascii") + replies.REPLY_END
            self._ready.notify_all()

    def read(self, size: int, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        with self._ready:
            while not self._out:
                if self.closed:
                    raise SessionClosed("virtual printer disconnected")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return b""
                self._ready.wait(remaining)
            data = bytes(self._out[:size])
            del self._out[:size]
            return data

    def take(self) -> bytes:
        with self._ready:
            data = bytes(self._out)
            self._out.clear()
            return data

    def handle(self, item: Command | Malformed) -> str:
        if isinstance(item, Malformed):
            return item.reply
        name, params = item.name, item.params
        if name in SETTING_RULES:
            if not SETTING_RULES[name](params):
                return ERROR_PARAMETERS
            if name == "Pr":
                if not self.printer.ribbon_fits(params[0]):
                    return "ERROR RIBBON"
                self._ribbon = params[0]
            return replies.OK
        if name == cmd.VIRTUAL_CONTROL and self.control:
            from drivers.virtual.control import perform

            return perform(self.printer, params)
        if name in cmd.QUERIES:
            return self.printer.query(name, params)
        if name == cmd.VIRTUAL_JOB:
            if len(params) != 1 or not params[0]:
                return ERROR_PARAMETERS
            self._job_id = params[0]
            return replies.OK
        if name in cmd.SEQUENCE or name in cmd.DOWNLOADS:
            return self._sequence(item)
        return ERROR_COMMAND

    def _sequence(self, item: Command) -> str:
        name, params = item.name, item.params
        if name == "Ss":
            number, self._doomed = self.printer.begin_sequence()
            self._card = CardSequence(number, job_id=self._job_id, ribbon=self._ribbon)
            self._side = None
            return replies.OK if not params else ERROR_PARAMETERS
        if self._card is None:
            return ERROR_COMMAND
        if name in ("Sr", "Sv"):
            self._side = self._select_side("front" if name == "Sr" else "back")
            return replies.OK if not params else ERROR_PARAMETERS
        if name == "Se":
            return self._end(params)
        return self._download(item)

    def _select_side(self, side_name: str) -> Side:
        assert self._card is not None
        for side in self._card.sides:
            if side.name == side_name:
                return side
        side = Side(side_name)
        self._card.sides.append(side)
        return side

    def _download(self, item: Command) -> str:
        panel, levels = item.params[0], int(item.params[1])
        side_name = self._side.name if self._side is not None else "front"
        refused = self.printer.ribbon_refusal(self._ribbon, side_name, panel)
        if refused:
            return refused
        data = item.data or b""
        try:
            if item.name == "Dbc":
                data = raster.decompress_lines(data)
            if levels == 2:
                values = raster.unpack_bits_landscape(data)
            else:
                values = raster.unpack_levels_landscape(data, cmd.LEVEL_BITS[levels])
        except ValueError:
            return ERROR_PARAMETERS
        side = self._side or self._select_side("front")
        self._side = side
        side.panels[panel] = Panel(levels, values)
        return replies.OK

    def _end(self, params: tuple[str, ...]) -> str:
        card = self._card
        assert card is not None
        if len(params) > 1 or (params and not params[0].isdigit()):
            return ERROR_PARAMETERS
        if not any(side.panels for side in card.sides):
            return ERROR_PARAMETERS
        self._card, self._side, self._job_id, self._doomed = None, None, None, False
        return self.printer.print_sequence(card)
