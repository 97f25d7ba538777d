"""``tcp://host:port``: network card printers and the virtual printer server (raw port 9100)."""

from __future__ import annotations

import socket

from drivers.errors import PrinterDisconnectedError, PrinterOfflineError, PrinterTimeoutError
from drivers.transports import Transport


class TcpTransport(Transport):
    def __init__(self, host: str, port: int, *, timeout: float = 10.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.description = f"tcp://{host}:{port}"
        self._sock: socket.socket | None = None

    def open(self) -> None:
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except ConnectionRefusedError as exc:
            raise PrinterOfflineError(f"Nothing answers at {self.description}.") from exc
        except TimeoutError as exc:
            raise PrinterOfflineError(f"{self.description} did not answer in time.") from exc
        except OSError as exc:
            raise PrinterOfflineError(f"Cannot reach {self.description} ({exc}).") from exc
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _socket(self) -> socket.socket:
        if self._sock is None:
            raise PrinterDisconnectedError(f"{self.description} is not open.", card_consumed=None)
        return self._sock

    def write(self, data: bytes) -> None:
        sock = self._socket()
        sock.settimeout(self.timeout)
        try:
            sock.sendall(data)
        except TimeoutError as exc:
            raise PrinterTimeoutError(
                f"{self.description} took no data for {self.timeout:g} s.", card_consumed=None
            ) from exc
        except OSError as exc:
            raise PrinterDisconnectedError(
                f"Connection to {self.description} broke ({exc}).", card_consumed=None
            ) from exc

    def read(self, size: int = 4096, timeout: float = 1.0) -> bytes:
        sock = self._socket()
        sock.settimeout(max(timeout, 0.001))
        try:
            data = sock.recv(size)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise PrinterDisconnectedError(
                f"Connection to {self.description} broke ({exc}).", card_consumed=None
            ) from exc
        if not data:
            raise PrinterDisconnectedError(
                f"{self.description} closed the connection.", card_consumed=None
            )
        return data
