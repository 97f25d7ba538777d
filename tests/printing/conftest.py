"""Printing test fixtures: a prepared photo and signature, an ordinary and a longest card."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from printing import CardData, prepare_photo, prepare_signature

from .samples import LONGEST, RED, handwriting, make_card, portrait


@pytest.fixture(scope="session")
def photo_jpeg() -> bytes:
    return prepare_photo(portrait(RED), tanggal_lahir=date(1981, 8, 17)).jpeg


@pytest.fixture(scope="session")
def signature_png() -> bytes:
    return prepare_signature(handwriting())


@pytest.fixture(scope="session")
def card(photo_jpeg, signature_png) -> CardData:
    return make_card(photo=photo_jpeg, signature=signature_png)


@pytest.fixture(scope="session")
def longest_card(card) -> CardData:
    return dataclasses.replace(card, **LONGEST)
