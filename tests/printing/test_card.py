"""CardData refuses values a KTP cannot carry, naming the field."""

from __future__ import annotations

from datetime import date

import pytest

from printing import InvalidCardDataError, PrintingError

from .samples import make_card


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nik", "33140117088100"),
        ("nik", "331401170881000X"),
        ("jenis_kelamin", "L"),
        ("golongan_darah", "C"),
        ("kewarganegaraan", "ASING"),
        ("berlaku_hingga", "SELAMANYA"),
        ("tanggal_lahir", "1981-08-17"),
        ("rt", "0001"),
        ("photo", "not bytes"),
    ],
)
def test_invalid_values_are_refused_with_the_field_named(field, value):
    with pytest.raises(InvalidCardDataError) as err:
        make_card(**{field: value})
    assert err.value.field == field
    assert field in str(err.value)
    assert isinstance(err.value, PrintingError)


def test_wna_validity_is_a_date():
    card = make_card(kewarganegaraan="WNA", berlaku_hingga=date(2030, 1, 1), layout="ktp-wna")
    assert card.berlaku_hingga == date(2030, 1, 1)


def test_repr_does_not_dump_image_bytes(photo_jpeg):
    assert "photo" not in repr(make_card(photo=photo_jpeg))
