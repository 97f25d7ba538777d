"""``virtual://name``: a virtual printer living in this process (see ``drivers.virtual``)."""

from __future__ import annotations

from typing import Any

from drivers.errors import PrinterDisconnectedError, PrinterOfflineError
from drivers.transports import Transport


class VirtualTransport(Transport):
    def __init__(self, name: str) -> None:
        self.name = name
        self.description = f"virtual://{name}"
        self._session: Any = None

    def open(self) -> None:
        from drivers.virtual import registry
        from drivers.virtual.session import SessionClosed

        printer = registry.get(self.name)
        try:
            self._session = printer.connect()
        except SessionClosed as exc:
            raise PrinterOfflineError(f"{self.description} is disconnected.") from exc

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def _live(self) -> Any:
        from drivers.virtual.session import SessionClosed

        if self._session is None or self._session.closed:
            raise PrinterDisconnectedError(f"{self.description} went away.", card_consumed=None)
        return self._session, SessionClosed

    def write(self, data: bytes) -> None:
        session, closed = self._live()
        try:
            session.feed(data)
        except closed as exc:
            raise PrinterDisconnectedError(
                f"{self.description} disconnected during the transfer.", card_consumed=None
            ) from exc

    def read(self, size: int = 4096, timeout: float = 1.0) -> bytes:
        session, closed = self._live()
        try:
            return session.read(size, timeout)
        except closed as exc:
            raise PrinterDisconnectedError(
                f"{self.description} went away.", card_consumed=None
            ) from exc
