"""NIK rules: structure, encoding, and the errors-versus-warnings split of domain.md."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.id import nik as stdnum_nik

from registry import nik

KNOWN = {"33", "33.14", "33.14.10", "31", "31.71", "31.71.01"}


def exists(code: str) -> bool:
    return code in KNOWN


kecamatan = st.sampled_from(["331410", "317101", "110101", "947101"])
birth = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
serial = st.integers(1, 9999)


@given(kecamatan, birth, st.booleans(), serial)
def test_encode_then_parse_gives_the_parts_back(kec, born, female, number):
    text = nik.encode(kec, born, female, number)
    parts = nik.parse(text)
    assert len(text) == 16 and text.isdigit()
    assert (parts.kecamatan, parts.day, parts.month, parts.yy, parts.female, parts.serial) == (
        kec, born.day, born.month, born.year % 100, female, number)
    assert str(parts) == text


@given(kecamatan, birth, st.booleans(), serial)
def test_women_have_forty_added_to_the_birth_day(kec, born, female, number):
    day = int(nik.encode(kec, born, female, number)[6:8])
    assert day == born.day + (40 if female else 0)
    assert (41 <= day <= 71) == female


@given(kecamatan, birth, st.booleans(), serial)
def test_an_independent_validator_accepts_what_we_encode(kec, born, female, number):
    assert stdnum_nik.is_valid(nik.encode(kec, born, female, number))


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_every_number_we_accept_has_the_birth_date_stdnum_reads(text):
    """Never laxer than the oracle; stricter where domain.md is (stdnum reads the day mod 40)."""
    try:
        parts = nik.parse(text)
    except nik.NikError:
        return
    born = stdnum_nik.get_birth_date(text)
    assert (born.day, born.month, born.year % 100) == (parts.day, parts.month, parts.yy)


@pytest.mark.parametrize("text, reason", [
    ("331410170880000", "16 digits"),
    ("33141017088000１", "16 digits"),
    ("3314103208800001", "neither 01-31"),
    ("3314107208800001", "neither 01-31"),
    ("3314101713800001", "month"),
    ("3314101708800000", "0000"),
    ("3314103002800001", "calendar date"),
])
def test_malformed_numbers_are_errors(text, reason):
    check = nik.validate(text, region_exists=exists)
    assert not check.ok
    assert reason in check.errors[0]


def test_29_february_is_valid_when_some_century_is_a_leap_year():
    assert nik.validate("3314102902000001", region_exists=exists).ok  # 2000
    assert nik.validate("3314102902960001", region_exists=exists).ok  # 1996
    assert not nik.validate("3314102902010001", region_exists=exists).ok


def test_an_unknown_kecamatan_is_only_a_warning():
    check = nik.validate("3314991708800001", region_exists=exists)
    assert check.ok
    assert "33.14.99" in check.warnings[0]


@pytest.mark.parametrize("text, part", [("9914101708800001", "province 99"),
                                        ("3399101708800001", "kabupaten/kota 33.99")])
def test_an_unknown_province_or_kabupaten_is_an_error(text, part):
    check = nik.validate(text, region_exists=exists)
    assert part in check.errors[0]


def test_the_record_decides_birth_date_and_sex():
    born = dt.date(1980, 8, 17)
    text = nik.encode("331410", born, True, 7)
    assert nik.validate(text, region_exists=exists, birth_date=born, female=True).ok
    wrong_year = nik.validate(text, region_exists=exists, birth_date=dt.date(1981, 8, 17))
    assert "does not match 17-08-1981" in wrong_year.errors[0]
    wrong_sex = nik.validate(text, region_exists=exists, birth_date=born, female=False)
    assert "female" in wrong_sex.errors[0]


def test_the_century_comes_from_the_record_not_the_number():
    text = nik.encode("331410", dt.date(1905, 3, 1), False, 1)
    assert nik.validate(text, region_exists=exists, birth_date=dt.date(2005, 3, 1)).ok
    assert nik.validate(text, region_exists=exists, birth_date=dt.date(1905, 3, 1)).ok


def test_encode_refuses_impossible_parts():
    with pytest.raises(nik.NikError):
        nik.encode("3314", dt.date(1980, 1, 1), False, 1)
    with pytest.raises(nik.NikError):
        nik.encode("331410", dt.date(1980, 1, 1), False, 10_000)
