"""Developer controls of a running virtual printer: what an operator does at the printer.

A virtual printer started by ``ktp virtual-printer`` listens on a second, loopback-only TCP
port, its control port. There, and only there, it accepts the vendor-private command
``ESC Vctl;<action>[;<argument>...] CR`` (on the printing port it is an unknown command, as it
would be for a real printer) and answers ``OK``, the state as JSON, or ``ERROR PARAMETRES``.
No fault cuts the control port off: after ``disconnect@N`` (which drops that printing
connection and refuses the next ones) ``reconnect`` plugs the cable back in.

| action | what the operator does |
|---|---|
| ``load-cards;N`` | puts N blanks into the feeder |
| ``load-ribbon;N[;TYPE]`` | fits a ribbon with N prints (``k``, ``ko``, ``ymcko``, ``ymckok``) |
| ``close-cover`` / ``open-cover`` | |
| ``clear-jam`` | pulls the jammed card out |
| ``reconnect`` | plugs the cable back in |
| ``clear;KIND`` / ``clear;all`` | fixes one fault kind / all of them (see ``VirtualPrinter.clear``) |
| ``fault;KIND[@N]`` | injects a fault, as ``--fault`` does |
| ``state`` | answers the printer's state as one line of JSON |

``ktp virtual-printer control --out DIR ACTION [ARGUMENT...]`` finds the port in
``DIR/control.json``, written while the printer runs. A printer with no control port (a
``virtual://NAME`` printer living inside the web server or a worker, its folder
``instance/virtual-printers/NAME``) is acted on through its folder, which is the printer
(``drivers.virtual.state``): the processes using it see the change before they next answer.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from drivers.evolis import commands as cmd
from drivers.evolis import replies
from drivers.evolis.decoder import ERROR_PARAMETERS
from drivers.virtual.faults import FAULT_KINDS
from drivers.virtual.state import STATE_FILE

if TYPE_CHECKING:
    from drivers.virtual.device import VirtualPrinter

CONTROL_FILE = "control.json"


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("a count is 0 or more")
    return value


def _clear(printer: VirtualPrinter, kind: str) -> None:
    if kind != "all" and kind not in FAULT_KINDS:
        raise ValueError(kind)
    printer.clear(None if kind == "all" else kind)


ACTIONS: dict[str, tuple[range, Callable[..., object]]] = {
    "load-cards": (range(1, 2), lambda p, n: p.load_cards(_count(n))),
    "load-ribbon": (range(1, 3), lambda p, n, kind=None: p.load_ribbon(_count(n), kind)),
    "close-cover": (range(0, 1), lambda p: p.clear("cover-open")),
    "open-cover": (range(0, 1), lambda p: p.inject("cover-open")),
    "clear-jam": (range(0, 1), lambda p: p.clear("jam")),
    "reconnect": (range(0, 1), lambda p: p.clear("disconnect")),
    "clear": (range(1, 2), _clear),
    "fault": (range(1, 2), lambda p, text: p.inject(text)),
}


def perform(printer: VirtualPrinter, params: tuple[str, ...]) -> str:
    """Carry out one ``Vctl`` command; the reply to send back."""
    if not params:
        return ERROR_PARAMETERS
    action, arguments = params[0], params[1:]
    if action == "state" and not arguments:
        return json.dumps(printer.snapshot(), sort_keys=True)
    if action not in ACTIONS or len(arguments) not in ACTIONS[action][0]:
        return ERROR_PARAMETERS
    try:
        ACTIONS[action][1](printer, *arguments)
    except ValueError:
        return ERROR_PARAMETERS
    return replies.OK


def write_address(folder: Path, host: str, port: int) -> Path:
    path = folder / CONTROL_FILE
    path.write_text(json.dumps({"host": host, "port": port, "pid": os.getpid()}))
    return path


def read_address(folder: Path) -> tuple[str, int]:
    """The control address a running ``ktp virtual-printer`` wrote into its folder."""
    try:
        found = json.loads((folder / CONTROL_FILE).read_text())
        return str(found["host"]), int(found["port"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConnectionError(f"no virtual printer runs with its output in {folder}") from exc


def control(folder: Path, action: str, *arguments: str) -> str:
    """One control command to the virtual printer whose output folder is ``folder``: through
    its control port while ``ktp virtual-printer`` runs there, else on the folder itself.
    ConnectionError when no virtual printer ever used the folder."""
    try:
        host, port = read_address(folder)
        return send(host, port, action, *arguments)
    except ConnectionError:  # no control port written, or nobody listens on it any more
        if not (folder / STATE_FILE).exists():
            raise ConnectionError(f"no virtual printer has its output in {folder}") from None
    from drivers.virtual.device import VirtualPrinter

    return perform(VirtualPrinter(folder), (action, *arguments))


def send(host: str, port: int, action: str, *arguments: str, timeout: float = 10.0) -> str:
    """One control command to a running virtual printer; its reply (``OK``, JSON, ``ERROR``)."""
    frame = cmd.command(cmd.VIRTUAL_CONTROL, action, *arguments)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(frame)
        answer = bytearray()
        while not answer.endswith(replies.REPLY_END):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return replies.decode(bytes(answer))
