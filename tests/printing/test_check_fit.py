"""Asking whether a card's values fit, before anything is saved or drawn."""

from __future__ import annotations

import dataclasses

import pytest

from printing import (
    FieldDoesNotFitError,
    UnsupportedCharacterError,
    check_fit,
    plan_card,
)

from .samples import LONGEST, make_card

WIDE_NAME = " ".join(["WWWWWWWWW MMMMMMMMM"] * 3)  # 59 characters: valid, but too wide
WIDE_ADDRESS = "W" * 120


def test_ordinary_and_longest_values_fit(card, longest_card):
    assert check_fit(card) == [] and check_fit(longest_card) == []
    plan_card(longest_card)


def test_every_misfit_is_named_at_once():
    card = make_card(nama=WIDE_NAME, alamat=WIDE_ADDRESS, tempat_lahir="SRAGEN\u5c71")
    problems = check_fit(card)
    assert [(type(p), p.field) for p in problems] == [
        (FieldDoesNotFitError, "nama"),
        (UnsupportedCharacterError, "tempat_tgl_lahir"),
        (FieldDoesNotFitError, "alamat"),
    ]
    with pytest.raises(FieldDoesNotFitError, match="Nama"):
        plan_card(card)


@pytest.mark.parametrize("values", [
    {"nama": WIDE_NAME}, {"alamat": WIDE_ADDRESS}, {"kel_desa": "W" * 40},
    {"tempat_terbit": "W" * 40}, {"nama": "SITI \u5c71"},
])
def test_check_fit_agrees_with_plan_card(values):
    card = make_card(**values)
    problems = check_fit(card)
    assert len(problems) == 1
    with pytest.raises(type(problems[0])) as planned:
        plan_card(card)
    assert str(planned.value) == str(problems[0])


def test_misfits_carry_a_code_and_the_values_of_their_message():
    [too_long] = check_fit(make_card(nama=WIDE_NAME))
    assert too_long.code == "field-too-long"
    assert too_long.params == {"field": "nama", "label": "Nama", "value": WIDE_NAME,
                               "min_size": 4.4, "max_lines": 2}
    [bad_char] = check_fit(make_card(nama="SITI \u5c71"))
    assert bad_char.code == "unsupported-character"
    assert bad_char.params == {"field": "nama", "label": "Nama", "char": "\u5c71",
                               "codepoint": "U+5C71"}


def test_check_fit_is_the_same_for_a_card_with_or_without_images(card):
    bare = dataclasses.replace(card, photo=None, signature=None, **LONGEST)
    assert check_fit(bare) == []
