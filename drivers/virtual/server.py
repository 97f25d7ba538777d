"""The virtual printer on a TCP port, for other processes and for developers.

Several clients may connect at once; each gets its own session (its own parser), and the
printer's one mechanism prints their cards one at a time. A second, loopback-only port takes
the developer's controls (``drivers.virtual.control``). ``serve()`` is what the ``ktp
virtual-printer`` command calls.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import socket
import socketserver
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drivers.virtual.control import write_address
from drivers.virtual.device import VirtualPrinter
from drivers.virtual.faults import Fault, parse_fault
from drivers.virtual.session import SessionClosed

log = logging.getLogger(__name__)
RECEIVE = 256 * 1024
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
"""glibc ``mallopt`` parameters (malloc.h)."""
LARGEST_FROM_HEAP, KEEP_FREED = 16 * 1024 * 1024, 64 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Let this process reuse freed memory instead of returning it to the kernel (glibc only).

    A colour card allocates and frees about 12 MB of arrays. By default glibc gives large
    freed blocks back (unmapping them or trimming the heap), so the next card faults its pages
    in again: about 3,000 page faults a card, a quarter of its CPU time. Raising the two
    thresholds keeps the memory in the heap for reuse (the process stays at its high-water
    mark, some tens of MB). Only ``serve()`` calls this: it owns its process. False where
    mallopt is unavailable (not glibc).
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError, TypeError):
        return False
    mapped = mallopt(M_MMAP_THRESHOLD, LARGEST_FROM_HEAP)
    return bool(mapped and mallopt(M_TRIM_THRESHOLD, KEEP_FREED))


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            session = self.server.printer.connect(control=self.server.control)
        except SessionClosed:
            return  # the cable is out: the connection drops at once
        try:
            while True:
                data = sock.recv(RECEIVE)
                if not data:
                    return
                session.feed(data)
                out = session.take()
                if out:
                    sock.sendall(out)
        except (SessionClosed, OSError):
            return
        finally:
            session.close()


class PortInUseError(OSError):
    """The port is taken (often by another virtual printer); the message names it."""


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], printer: VirtualPrinter, *, control: bool = False
    ) -> None:
        self.printer, self.control = printer, control
        try:
            super().__init__(address, _Handler)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            what = "control port" if control else "port"
            raise PortInUseError(
                exc.errno, f"{what} {address[1]} on {address[0]} is already in use"
            ) from None


def _address(server: _Server) -> tuple[str, int]:
    host, port = server.server_address[:2]
    return str(host), int(port)


class VirtualPrinterServer:
    """A running TCP front for a VirtualPrinter; ``port=0`` picks a free port.
    ``control_port``: also listen for the developer's controls on that loopback port (0: a
    free one); None: no control port."""

    def __init__(
        self,
        printer: VirtualPrinter,
        host: str = "127.0.0.1",
        port: int = 9100,
        *,
        control_port: int | None = None,
    ) -> None:
        self.printer = printer
        self._servers = [_Server((host, port), printer)]
        if control_port is not None:
            try:
                self._servers.append(_Server(("127.0.0.1", control_port), printer, control=True))
            except OSError:
                self._servers[0].server_close()
                raise
        self._threads: list[threading.Thread] = []

    @property
    def address(self) -> tuple[str, int]:
        return _address(self._servers[0])

    @property
    def control_address(self) -> tuple[str, int] | None:
        return _address(self._servers[1]) if len(self._servers) > 1 else None

    @property
    def uri(self) -> str:
        host, port = self.address
        return f"tcp://{host}:{port}"

    def start(self) -> VirtualPrinterServer:
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever, args=(0.05,), name="virtual-printer", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> VirtualPrinterServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    host: str,
    port: int,
    out_dir: str | Path,
    *,
    cards: int = 100,
    ribbon: int = 500,
    print_seconds: float = 0.0,
    faults: list[str | Fault] | tuple[str | Fault, ...] = (),
    name: str = "virtual",
    control_port: int = 0,
    announce: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    **printer_options: Any,
) -> VirtualPrinter:
    """Run a virtual printer on ``host:port`` until Ctrl-C (or until ``stop`` is set).

    Cards go to ``out_dir`` (PNG per side, ``cards.jsonl``), which is the printer: its counters
    and state stay there across restarts; starting it is switching it on after the operator
    fixed it (feeder and ribbon loaded as given, faults gone). ``faults`` take the ``--fault
    KIND[@N]`` syntax (see ``drivers.virtual.faults``); a bad one raises ValueError before the
    port opens. The control port (``control_port``, 0: a free one, on 127.0.0.1) is written to
    ``out_dir/control.json`` while the printer runs. ``announce`` is called once with the
    printer's ``tcp://`` address when it listens (``port=0`` picks a free port). A port in use
    raises ``PortInUseError``. Returns the printer, for its final state.
    """
    parsed = [parse_fault(f) if isinstance(f, str) else f for f in faults]
    printer = VirtualPrinter(
        Path(out_dir),
        name=name,
        cards=cards,
        ribbon=ribbon,
        print_seconds=print_seconds,
        keep_faults=False,
        **printer_options,
    )
    for fault in parsed:
        printer.inject(fault)
    stop = stop or threading.Event()
    keep_freed_memory()
    with VirtualPrinterServer(printer, host, port, control_port=control_port) as server:
        control_host, control = server.control_address or ("127.0.0.1", 0)
        address_file = write_address(Path(out_dir), control_host, control)
        log.info("virtual printer %s listening on %s (control port %s), cards to %s",
                 name, server.uri, control, out_dir)
        if announce is not None:
            announce(server.uri)
        try:
            with contextlib.suppress(KeyboardInterrupt):
                stop.wait()
        finally:
            with contextlib.suppress(OSError):
                address_file.unlink()
    return printer
