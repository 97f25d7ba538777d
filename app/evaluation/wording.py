"""What people read: the nine SKM questions with a plain word for each score, and the names of
elements, grades and indicators, in English msgids translated to Bahasa Indonesia.

The Indonesian questions and answer words follow the sample questionnaire attached to
PermenPAN-RB 14/2017; the regulation lets a unit adapt the wording to its service, so they
live in the catalog (app/evaluation/translations), not in code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flask_babel import lazy_gettext as _l

from registry.skm import ELEMENTS, SKM_GRADES, Element, Grade

from ..web import labels
from .formatting import fixed


@dataclass(frozen=True)
class Question:
    element: Element
    name: Any
    text: Any
    answers: tuple[Any, Any, Any, Any]  # the words for scores 1, 2, 3, 4


QUESTIONS = tuple(Question(element, *rest) for element, rest in zip(ELEMENTS, (
    (_l("Requirements"),
     _l("How well do the requirements match the service you received?"),
     (_l("Do not match"), _l("Barely match"), _l("Match"), _l("Match very well"))),
    (_l("Systems, mechanisms and procedures"),
     _l("How easy is the procedure at this office?"),
     (_l("Not easy"), _l("Not very easy"), _l("Easy"), _l("Very easy"))),
    (_l("Completion time"),
     _l("How quickly was the service completed?"),
     (_l("Not fast"), _l("Not very fast"), _l("Fast"), _l("Very fast"))),
    (_l("Fees and tariffs"),
     _l("How fair were the fees for this service?"),
     (_l("Very expensive"), _l("Rather expensive"), _l("Cheap"), _l("Free of charge"))),
    (_l("Service product specification"),
     _l("Does what you received match the published service standard?"),
     (_l("Does not match"), _l("Barely matches"), _l("Matches"), _l("Matches fully"))),
    (_l("Staff competence"),
     _l("How competent were the staff who served you?"),
     (_l("Not competent"), _l("Not very competent"), _l("Competent"), _l("Very competent"))),
    (_l("Staff conduct"),
     _l("How polite and friendly were the staff?"),
     (_l("Not polite or friendly"), _l("Not very polite or friendly"),
      _l("Polite and friendly"), _l("Very polite and friendly"))),
    (_l("Handling of complaints, suggestions and feedback"),
     _l("How are complaints from service users handled?"),
     (_l("There is no way to complain"), _l("There is one, but it does not work"),
      _l("It works, but not fully"), _l("Handled well"))),
    (_l("Facilities and infrastructure"),
     _l("How good are the facilities (waiting room, seats, toilets, parking)?"),
     (_l("Poor"), _l("Fair"), _l("Good"), _l("Very good"))),
), strict=True))

ELEMENT_NAMES = {q.element.key: q.name for q in QUESTIONS}

GRADE_NAMES = {
    "A": _l("Very good"),
    "B": _l("Good"),
    "C": _l("Below good"),
    "D": _l("Not good"),
}

CHANNELS = {"kiosk": _l("Kiosk"), "paper": _l("Paper form")}

REASONS = labels.REASONS  # the counter's words, so a reason reads the same everywhere

STOCK_KINDS = {
    "RECEIVED": _l("Received"),
    "PRINTED": _l("Printed"),
    "SPOILED": _l("Spoiled"),
    "RETURNED": _l("Returned"),
    "TRANSFER_OUT": _l("Sent to other offices"),
    "TRANSFER_IN": _l("Received from other offices"),
}

ALL_OFFICES = _l("all offices")

VOLUMES = {
    "received": _l("Applications received"),
    "printed": _l("Cards printed"),
    "handed_over": _l("Cards handed over"),
}


def grade_scale(grades: Sequence[Grade] = SKM_GRADES) -> str:
    """``A (Very good) 88,31–100; B (Good) 76,61–88,30; ...`` in the reader's notation."""
    tops = [Fraction(100)] + [Fraction(g.lowest) - Fraction(1, 100) for g in grades[:-1]]
    return "; ".join(
        f"{g.letter} ({GRADE_NAMES[g.letter]}) {fixed(Fraction(g.lowest), 2)}–"
        f"{'100' if top == 100 else fixed(top, 2)}" for g, top in zip(grades, tops, strict=True))


def element_label(key: str) -> str:
    number = key.lstrip("u")
    return f"U{number} {ELEMENT_NAMES[key]}"
