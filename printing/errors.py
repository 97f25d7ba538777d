"""Typed errors of card rendering.

Every message is written for the clerk at the counter: it names the card field (by its label on
the card) or the photo problem, so the clerk knows what to correct. Nothing here carries a stack
trace or another resident's data.

`str(error)` is the English message. Every error also carries a stable `code` and the values in
its message as `params`, so the app can say it in the clerk's language (the codes are listed in
printing/README.md).
"""

from __future__ import annotations

from typing import Any


class PrintingError(Exception):
    """Base of every error raised by `printing`: the card cannot be rendered as asked."""

    code = "printing-error"

    def __init__(self, message: str, code: str | None = None, **params: Any):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = params


class InvalidCardDataError(PrintingError, ValueError):
    """A `CardData` value is outside what a KTP can carry (e.g. an unknown blood group)."""

    code = "invalid-card-value"

    def __init__(self, field: str, value: object, expected: str):
        self.field = field
        self.value = value
        super().__init__(f"{field}: {value!r} is not valid, expected {expected}",
                         field=field, value=value, expected=expected)


class FieldDoesNotFitError(PrintingError):
    """A value is too long for its box even at the smallest size and on every allowed line."""

    code = "field-too-long"

    def __init__(self, field: str, value: str, label: str | None = None, detail: str = "",
                 min_size: float | None = None, max_lines: int | None = None):
        self.field = field
        self.value = value
        self.label = label or field
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{self.label} is too long to print on the card{extra}: {value!r}; "
            "shorten or abbreviate it",
            field=field, label=self.label, value=value, min_size=min_size, max_lines=max_lines,
        )


class UnsupportedCharacterError(PrintingError):
    """A value holds a character the embedded card font has no glyph for."""

    code = "unsupported-character"

    def __init__(self, field: str, char: str, label: str | None = None):
        self.field = field
        self.char = char
        self.label = label or field
        codepoint = f"U+{ord(char):04X}"
        super().__init__(
            f"{self.label} contains {char!r} ({codepoint}), "
            "which the card font cannot print; replace it",
            field=field, label=self.label, char=char, codepoint=codepoint,
        )


class LayoutError(PrintingError):
    """A layout is unknown or inconsistent (boxes off the card, overlapping, labels too long)."""

    code = "layout-error"


class PhotoError(PrintingError, ValueError):
    """An uploaded photo or signature cannot be used; the message names the problem.

    `params["what"]` is "photo" or "signature" for upload problems.
    """

    code = "photo-error"
