"""Fitting rules: shrink to the minimum, then wrap, never outside the box, else a clear error."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printing import FieldDoesNotFitError, UnsupportedCharacterError
from printing.fitting import fit_text
from printing.layout import Box, TextStyle

BOX = Box(10.0, 10.0, 30.0, 7.0)
STYLE = TextStyle(size=6.0, min_size=4.4, max_lines=3)


def test_short_text_keeps_its_size_on_one_line():
    fitted = fit_text("nama", "BUDI", BOX, STYLE)
    assert fitted.size == 6.0 and [line.text for line in fitted.lines] == ["BUDI"]


def test_slightly_long_text_shrinks_before_it_wraps():
    fitted = fit_text("nama", "MUHAMMAD ABDURRAHMAN WAHYUDI", BOX, STYLE)
    assert len(fitted.lines) == 1 and 4.4 <= fitted.size < 6.0


def test_long_text_wraps_at_spaces_and_keeps_every_word():
    text = "JL. PANGERAN DIPONEGORO GANG KENANGA III NO. 123 BLOK C/17 PERUMAHAN GRIYA"
    fitted = fit_text("alamat", text, BOX, STYLE)
    assert 2 <= len(fitted.lines) <= 3
    assert " ".join(line.text for line in fitted.lines) == text


def test_wrap_may_break_after_a_hyphen_or_slash():
    box = Box(0, 0, 16.0, 7.0)
    fitted = fit_text("kel_desa", "BARUNG-BARUNG/BALANTAI-SELATAN", box, STYLE)
    assert len(fitted.lines) > 1
    assert "".join(line.text for line in fitted.lines) == "BARUNG-BARUNG/BALANTAI-SELATAN"


def test_too_long_is_an_error_with_field_and_value():
    with pytest.raises(FieldDoesNotFitError) as err:
        fit_text("alamat", "ABCDEFGH " * 40, BOX, STYLE, name="Alamat")
    assert err.value.field == "alamat" and err.value.value.startswith("ABCDEFGH")
    assert "Alamat" in str(err.value) and "4.4 pt" in str(err.value)


def test_one_line_style_never_wraps():
    with pytest.raises(FieldDoesNotFitError):
        fit_text("agama", "KEPERCAYAAN TERHADAP TUHAN YME " * 2, BOX,
                 TextStyle(size=6.0, min_size=4.4))


def test_missing_glyph_is_an_error():
    with pytest.raises(UnsupportedCharacterError) as err:
        fit_text("nama", "BUDI \u2603", BOX, STYLE, name="Nama")
    assert err.value.char == "\u2603"


def test_centred_text_is_centred():
    fitted = fit_text("x", "SRAGEN", BOX, TextStyle(size=6.0, align="centre"))
    line = fitted.lines[0]
    assert line.x - BOX.x == pytest.approx(BOX.right - (line.x + line.width))


WORDS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,'()-/", min_size=1, max_size=14)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(WORDS, min_size=1, max_size=18), width=st.floats(8.0, 40.0))
def test_fitted_text_never_leaves_its_box(words, width):
    text = " ".join(words)
    box = Box(5.0, 5.0, width, 7.0)
    try:
        fitted = fit_text("alamat", text, box, STYLE)
    except FieldDoesNotFitError:
        return
    assert box.contains(fitted.extent(), tolerance=1e-6)
    assert STYLE.min_size <= fitted.size <= STYLE.size
    assert "".join("".join(line.text for line in fitted.lines).split()) == "".join(text.split())
