"""Typed errors of card rendering.

Every message is written for the clerk at the counter: it names the card field (by its label on
the card) or the photo problem, so the clerk knows what to correct. Nothing here carries a stack
trace or another resident's data.
"""

from __future__ import annotations


class PrintingError(Exception):
    """Base of every error raised by `printing`: the card cannot be rendered as asked."""


class InvalidCardDataError(PrintingError, ValueError):
    """A `CardData` value is outside what a KTP can carry (e.g. an unknown blood group)."""

    def __init__(self, field: str, value: object, expected: str):
        self.field = field
        self.value = value
        super().__init__(f"{field}: {value!r} is not valid, expected {expected}")


class FieldDoesNotFitError(PrintingError):
    """A value is too long for its box even at the smallest size and on every allowed line."""

    def __init__(self, field: str, value: str, label: str | None = None, detail: str = ""):
        self.field = field
        self.value = value
        self.label = label or field
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{self.label} is too long to print on the card{extra}: {value!r}; "
            "shorten or abbreviate it"
        )


class UnsupportedCharacterError(PrintingError):
    """A value holds a character the embedded card font has no glyph for."""

    def __init__(self, field: str, char: str, label: str | None = None):
        self.field = field
        self.char = char
        self.label = label or field
        super().__init__(
            f"{self.label} contains {char!r} (U+{ord(char):04X}), "
            "which the card font cannot print; replace it"
        )


class LayoutError(PrintingError):
    """A layout is unknown or inconsistent (boxes off the card, overlapping, labels too long)."""


class PhotoError(PrintingError, ValueError):
    """An uploaded photo or signature cannot be used; the message names the problem."""
