"""Evolis escape commands at the byte level: ESC name [';' parameter]... CR.

Names and parameters follow the Evolis Programming Guide as domain.md and the real captures in
tests/drivers/data show them. Only commands a real Evolis printer accepts go into a print
stream; the one exception, ``VIRTUAL_JOB``, is sent only after the printer has identified itself
as the virtual printer (see ``PrinterIdentity.is_virtual``).
"""

from __future__ import annotations

ESC = 0x1B
CR = 0x0D

PORTRAIT_WIDTH = 648
PORTRAIT_LINES = 1016
LINE_BYTES = PORTRAIT_WIDTH // 8

PANELS = "ymcko"
LEVEL_BITS = {2: 1, 32: 5, 64: 6, 128: 7}
"""Levels per panel download and the bits each pixel takes, packed without gaps."""
COLOUR_LEVELS = (32, 64, 128)

RIBBONS: dict[str, tuple[str, str]] = {
    "k": ("k", "k"),
    "ko": ("ko", "ko"),
    "ymcko": ("ymcko", "ymcko"),
    "ymckok": ("ymcko", "k"),
}
"""Ribbon type -> panels laid on the front and on the back, in download order."""

SETTINGS = ("Pr", "Pmi", "Pc", "Pl", "Ps", "Pdt", "Mr", "Ppws", "Pem", "Pneab")
SEQUENCE = ("Ss", "Sr", "Sv", "Se")
QUERIES = ("Rtp", "Rsn", "Rfv", "Rkn", "Rco", "Rlr", "Rse", "Rcr", "Rst")
DOWNLOADS = ("Db", "Dbc")
VIRTUAL_JOB = "Vji"
VIRTUAL_CONTROL = "Vctl"
"""The virtual printer's developer controls (load cards, clear a fault...): accepted only on
its control port, never part of what a printer receives (see ``drivers.virtual.control``)."""


def command(name: str, *params: object) -> bytes:
    """Frame one command; reject text that would break the framing."""
    fields = [name, *(str(p) for p in params)]
    for text in fields:
        if not text.isascii() or any(ch in text for ch in ";\r\x1b\x00"):
            raise ValueError(f"cannot frame {text!r} in an Evolis command")
    return bytes([ESC]) + ";".join(fields).encode("ascii") + bytes([CR])


def download(panel: str, levels: int, data: bytes) -> bytes:
    """``Db``: one uncompressed panel bitmap (its length follows from panel size and levels)."""
    _check_panel(panel, levels)
    expected = PORTRAIT_WIDTH * PORTRAIT_LINES * LEVEL_BITS[levels] // 8
    if len(data) != expected:
        raise ValueError(f"panel {panel} at {levels} levels is {expected} bytes, got {len(data)}")
    return b"\x1bDb;%s;%d;" % (panel.encode(), levels) + data + b"\r"


def download_compressed(panel: str, levels: int, data: bytes) -> bytes:
    """``Dbc``: one line-compressed 1-bit panel, its byte count given explicitly."""
    _check_panel(panel, levels)
    if levels != 2:
        raise ValueError("Dbc carries 2-level (K, O) panels only")
    return b"\x1bDbc;%s;%d;%d;" % (panel.encode(), levels, len(data)) + data + b"\r"


def _check_panel(panel: str, levels: int) -> None:
    if panel not in PANELS or len(panel) != 1:
        raise ValueError(f"unknown panel {panel!r}")
    allowed = (2,) if panel in "ko" else COLOUR_LEVELS
    if levels not in allowed:
        raise ValueError(f"panel {panel} takes {allowed} levels, not {levels}")


def select_ribbon(ribbon: str) -> bytes:
    if ribbon not in RIBBONS:
        raise ValueError(f"unknown ribbon {ribbon!r}; known: {', '.join(RIBBONS)}")
    return command("Pr", ribbon)


FEED_FROM_FEEDER = command("Pmi", "F", "s")
START_SEQUENCE = command("Ss")
FRONT = command("Sr")
BACK = command("Sv")
END_SEQUENCE = command("Se")

READ_MODEL = command("Rtp")
READ_SERIAL = command("Rsn")
READ_FIRMWARE = command("Rfv")
READ_HEAD = command("Rkn")
READ_CARDS_INSERTED = command("Rco", "c")
READ_PANELS_PRINTED = command("Rco", "p")
READ_CARD_POSITION = command("Rlr", "p")
READ_COVER_SENSOR = command("Rse", "o")
READ_FEEDER_SENSOR = command("Rse", "f")
READ_RIBBON_REMAINING = command("Rcr")
READ_STATE = command("Rst")
"""READY, PRINTING, or the error text of what stops the printer (CARD JAM, COVER OPEN...).
*Unconfirmed* on real printers: see ``replies.printer_state``."""


def panels_per_card(ribbon: str, sides: int) -> int:
    """Panel downloads of one card on ``ribbon`` with 1 or 2 sides."""
    front, back = RIBBONS[ribbon]
    return len(front) + (len(back) if sides > 1 else 0)


def virtual_job(job_id: str) -> bytes:
    """Label the next card for the virtual printer's log; never sent to a real printer."""
    return command(VIRTUAL_JOB, job_id)
