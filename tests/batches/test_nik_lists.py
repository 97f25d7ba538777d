"""NIK lists as offices keep them: a spreadsheet's CSV (comma or semicolon), or a NIK a line."""

from __future__ import annotations

import pytest

from app.batches.selection import from_choice, parse_niks
from registry.errors import InvalidRecordError

A, B = "3314105708800001", "3314105708800002"


@pytest.mark.parametrize("text", [
    f"nik\n{A}\n{B}\n",
    f"{A}\n\n# a comment\n{B}\n",
    f"no;nik;nama\n1;{A};SRI\n2;{B};JOKO\n",
    f'{A},"SRI, WAHYUNI"\n{B},JOKO\n',
    "urut\tNIK\n1\t3314.1057.0880.0001\n2\t3314 1057 0880 0002\n",
])
def test_a_nik_list_in_any_usual_shape(text):
    assert parse_niks(text) == [A, B]


def test_exactly_one_way_of_choosing_residents():
    with pytest.raises(InvalidRecordError, match="exactly one"):
        from_choice(kecamatan="33.14.10", desa="33.14.10.1001")
    with pytest.raises(InvalidRecordError, match="no NIK"):
        from_choice(niks=[])
    assert from_choice(q="sri", area="33.14.10").code == "33.14.10"
