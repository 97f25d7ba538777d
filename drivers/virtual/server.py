"""The virtual printer on a TCP port, for other processes and for developers.

Several clients may connect at once; each gets its own session (its own parser), and the
printer's one mechanism prints their cards one at a time. ``serve()`` is what the ``ktp
virtual-printer`` command calls.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import socket
import socketserver
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
            session = self.server.printer.connect()
        except SessionClosed:
            return
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


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address: tuple[str, int], printer: VirtualPrinter) -> None:
        self.printer = printer
        super().__init__(address, _Handler)


class VirtualPrinterServer:
    """A running TCP front for a VirtualPrinter; ``port=0`` picks a free port."""

    def __init__(self, printer: VirtualPrinter, host: str = "127.0.0.1", port: int = 9100) -> None:
        self.printer = printer
        self._server = _Server((host, port), printer)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def uri(self) -> str:
        host, port = self.address
        return f"tcp://{host}:{port}"

    def start(self) -> VirtualPrinterServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="virtual-printer", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

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
    announce: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    **printer_options: Any,
) -> VirtualPrinter:
    """Run a virtual printer on ``host:port`` until Ctrl-C (or until ``stop`` is set).

    Cards go to ``out_dir`` (PNG per side, ``cards.jsonl``). ``faults`` take the ``--fault
    KIND[@N]`` syntax (see ``drivers.virtual.faults``); a bad one raises ValueError before the
    port opens. ``announce`` is called once with the printer's ``tcp://`` address when it
    listens (``port=0`` picks a free port). Returns the printer, for its final state.
    """
    printer = VirtualPrinter(
        Path(out_dir),
        name=name,
        cards=cards,
        ribbon=ribbon,
        print_seconds=print_seconds,
        faults=[parse_fault(f) if isinstance(f, str) else f for f in faults],
        **printer_options,
    )
    stop = stop or threading.Event()
    keep_freed_memory()
    with VirtualPrinterServer(printer, host, port) as server:
        log.info("virtual printer %s listening on %s, cards to %s", name, server.uri, out_dir)
        if announce is not None:
            announce(server.uri)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return printer
