"""Options of select and radio fields in the form each WTForms version wants: `SelectChoice`
since WTForms 3.3 (plain tuples are deprecated there), tuples before it."""

from __future__ import annotations

from typing import Any

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms < 3.3
    SelectChoice = None


def option(value: str, label: Any = None) -> Any:
    label = value if label is None else label
    return SelectChoice(value, label) if SelectChoice is not None else (value, label)


def options(values: Any, blank: bool = False) -> list[Any]:
    """Options from plain values, or from (value, label) pairs."""
    head = [option("", "–")] if blank else []
    return head + [option(*v) if isinstance(v, tuple) else option(v) for v in values]
