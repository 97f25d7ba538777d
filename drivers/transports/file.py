"""``file:///path``: append the byte stream to a file (a capture, or a spool for another tool)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from drivers.errors import PrinterNotFoundError, PrinterPermissionError
from drivers.transports import Transport


class FileTransport(Transport):
    bidirectional = False

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.description = f"file://{self.path}"
        self._file: BinaryIO | None = None

    def open(self) -> None:
        try:
            self._file = self.path.open("ab")
        except FileNotFoundError as exc:
            raise PrinterNotFoundError(f"Folder {self.path.parent} does not exist.") from exc
        except PermissionError as exc:
            raise PrinterPermissionError(f"Cannot write {self.path}.") from exc

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def write(self, data: bytes) -> None:
        if self._file is None:
            self.open()
        assert self._file is not None
        self._file.write(data)
        self._file.flush()
