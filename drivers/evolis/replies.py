"""Printer replies -> typed errors and status values.

A reply is ASCII. Error texts are those of Evolis's sample SDK code ("ERROR CDE", "ERROR
PARAMETRES", "FEEDER EMPTY", "CARD JAM", "COVER OPEN", "ERROR RIBBON", ...). ``Rlr;p`` answers
"OK" with no card inside and "CARD" (or "SMART CARD", "CONTACTLESS CARD") with one. ``Rse;x``
answers a sensor voltage written with a decimal comma ("4,92"). *Unconfirmed* and kept here so a
real printer can correct them: which voltage means cover open / cards in feeder, and that
``Rcr`` answers the prints left on the ribbon as an integer.
"""

from __future__ import annotations

from drivers import errors

OK = "OK"
REPLY_END = b"\r"
"""The virtual printer ends each reply with CR; readers also accept a reply that just stops."""

STATE_READY, STATE_PRINTING = "READY", "PRINTING"
"""Answers to the state query (``Rst``) besides an error text. *Unconfirmed* for real printers:
one that does not know the query answers ``ERROR CDE`` and the driver falls back to the card
position (``Rlr;p``) alone; any answer it does not recognise counts as unknown too."""
JAM_REPLIES = frozenset({"CARD JAM", "ERROR TIME OUT"})
"""Replies by which a printer says a card is stuck in it (mechanical error)."""

PRINTED_COUNTER_COUNTS = "panels"
"""What ``Rco;p`` counts: ``"panels"`` (each panel laid, the virtual printer's reading and this
driver's) or ``"cards"`` (Evolis's sample SDK code labels it "Nbr of printed cards").
*Unconfirmed*: check on a real printer (print one YMCKO card: ``Rco;p`` rises by 5 or by 1)
and set it here; settlement compares the counter's rise with what one card adds."""

SENSOR_HIGH_VOLTS = 2.5
COVER_OPEN_WHEN_HIGH = True
FEEDER_LOADED_WHEN_HIGH = True

ERROR_REPLIES: dict[str, type[errors.PrinterError]] = {
    "ERROR CDE": errors.CommandRejectedError,
    "ERROR PARAMETRES": errors.CommandRejectedError,
    "FEEDER EMPTY": errors.FeederEmptyError,
    "ERROR RIBBON": errors.RibbonEndedError,
    "COVER OPEN": errors.CoverOpenError,
    "CARD JAM": errors.CardJamError,
    "ERROR TIME OUT": errors.CardJamError,
    "ERROR HEAD": errors.PrinterFaultError,
    "NEED CLEANING": errors.PrinterFaultError,
    "ERROR HOPPER": errors.PrinterFaultError,
    "HOPPER FULL": errors.PrinterFaultError,
    "HOPPER DOOR": errors.PrinterFaultError,
    "ERROR": errors.PrinterFaultError,
}

DETAILS = {
    "ERROR CDE": "The printer does not know a command of this job",
    "ERROR PARAMETRES": "The printer rejected a parameter of this job",
    "ERROR TIME OUT": "A card did not reach the next sensor in time (mechanical time-out)",
    "ERROR HEAD": "The print head reports a fault",
    "NEED CLEANING": "The printer needs cleaning before it prints again",
    "HOPPER FULL": "The output hopper is full",
}


def decode(raw: bytes) -> str:
    """Reply bytes to text, without the terminator or NUL padding."""
    return raw.replace(b"\x00", b"").strip().decode("ascii", "replace")


def error_for(reply: str, command: str | None = None) -> errors.PrinterError | None:
    """The typed error a reply stands for, or None when the reply is not an error."""
    kind = ERROR_REPLIES.get(reply)
    if kind is None and reply.startswith("ERROR"):
        kind = errors.PrinterFaultError
    if kind is None:
        return None
    detail = DETAILS.get(reply)
    if detail is None:
        detail = kind.__doc__ or reply
    detail = f"{detail.rstrip('.')} (printer said {reply!r}"
    detail += f" to {command})." if command else ")."
    return kind(detail, reply=reply, command=command)


def parse_int(reply: str) -> int:
    try:
        return int(reply.strip())
    except ValueError as exc:
        raise errors.PrinterFaultError(f"Unexpected printer reply {reply!r}.") from exc


def parse_volts(reply: str) -> float:
    try:
        return float(reply.strip().replace(",", "."))
    except ValueError as exc:
        raise errors.PrinterFaultError(f"Unexpected sensor reply {reply!r}.") from exc


def cover_open(reply: str) -> bool:
    return (parse_volts(reply) >= SENSOR_HIGH_VOLTS) == COVER_OPEN_WHEN_HIGH


def feeder_empty(reply: str) -> bool:
    return (parse_volts(reply) >= SENSOR_HIGH_VOLTS) != FEEDER_LOADED_WHEN_HIGH


def card_inside(reply: str) -> bool:
    return reply.strip() != OK


def printer_state(reply: str | None) -> tuple[bool, bool] | None:
    """(printing, jammed) from the state query's answer; None when the printer did not say
    (no such query, or an answer this driver does not know)."""
    if reply is None:
        return None
    text = reply.strip()
    if text in JAM_REPLIES:
        return False, True
    if text == STATE_PRINTING:
        return True, False
    if text == STATE_READY or text in ERROR_REPLIES:
        return False, False
    return None


def volts(value: float) -> str:
    """A sensor voltage as the printer writes it."""
    return f"{value:.2f}".replace(".", ",")


def parse_device_id(raw: bytes) -> dict[str, str]:
    """IEEE 1284 device id (2-byte big-endian length, then ``KEY:value;`` pairs)."""
    if len(raw) < 2:
        return {}
    length = int.from_bytes(raw[:2], "big")
    text = bytes(raw[2:length]).decode("ascii", "replace")
    fields = {}
    for item in text.split(";"):
        key, sep, value = item.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def device_id(fields: dict[str, str]) -> bytes:
    text = "".join(f"{key}:{value};" for key, value in fields.items()).encode("ascii")
    return (len(text) + 2).to_bytes(2, "big") + text
