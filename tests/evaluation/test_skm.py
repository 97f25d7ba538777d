"""The SKM index against worked examples computed by hand with exact fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from registry import skm

ALL_4 = (4,) * 9
ALL_3 = (3,) * 9


def test_worked_example_three_complete_forms():
    # Three respondents answer all nine elements:
    #   R1: 4 4 4 4 4 4 4 4 4
    #   R2: 3 3 3 3 3 3 3 3 3
    #   R3: 3 4 2 4 3 3 4 2 3
    # Sums per element: 10 11 9 11 10 10 11 9 10, each over 3 answers.
    # NRR: 10/3 11/3 3 11/3 10/3 10/3 11/3 3 10/3;  Σ NRR = 91/3
    # Index = 91/3 × 1/9 = 91/27 = 3.370370…  -> shown 3.3704
    # Converted = 91/27 × 25 = 2275/27 = 84.259259… -> shown 84.26 -> B (Baik)
    result = skm.compute([ALL_4, ALL_3, (3, 4, 2, 4, 3, 3, 4, 2, 3)])
    assert result.respondents == 3
    assert [e.nrr for e in result.elements] == [Fraction(n, 3) for n in
                                               (10, 11, 9, 11, 10, 10, 11, 9, 10)]
    assert [e.answers for e in result.elements] == [3] * 9
    assert result.index == Fraction(91, 27)
    assert result.converted == Fraction(2275, 27)
    assert skm.round_half_up(result.index, 4) == Decimal("3.3704")
    assert skm.round_half_up(result.converted, 2) == Decimal("84.26")
    assert (result.grade.letter, result.grade.label) == ("B", "Baik")
    # Weakest elements: u3 and u8 both 3; the first in regulation order is reported.
    assert result.weakest().element.key == "u3"


def test_worked_example_paper_forms_with_blanks_weigh_elements_not_people():
    # Paper forms may leave a question blank; NRR divides by the answers the element got.
    #   R1: 4 - 3 4 4 4 4 - 4
    #   R2: 3 3 3 4 3 3 3 2 3
    # NRR: 7/2 3/1 6/2 8/2 7/2 7/2 7/2 2/1 7/2 ; Σ = 59/2
    # Index = 59/18 = 3.27777… ; converted = 1475/18 = 81.9444… -> 81.94 -> B
    # (averaging each person's own mean instead would give 85.71: not the regulation's method)
    result = skm.compute([(4, None, 3, 4, 4, 4, 4, None, 4), (3, 3, 3, 4, 3, 3, 3, 2, 3)])
    assert [e.answers for e in result.elements] == [2, 1, 2, 2, 2, 2, 2, 1, 2]
    assert result.elements[1].nrr == 3 and result.elements[7].nrr == 2
    assert result.index == Fraction(59, 18)
    assert result.converted == Fraction(1475, 18)
    assert skm.round_half_up(result.converted, 2) == Decimal("81.94")
    assert result.grade.letter == "B"


def test_per_element_converted_score_and_grade():
    # u8 above: NRR 2 -> 2 × 25 = 50.00 -> D ; u4: NRR 4 -> 100.00 -> A
    result = skm.compute([(4, None, 3, 4, 4, 4, 4, None, 4), (3, 3, 3, 4, 3, 3, 3, 2, 3)])
    assert result.elements[7].converted == 50 and result.elements[7].grade.letter == "D"
    assert result.elements[3].converted == 100 and result.elements[3].grade.letter == "A"


def test_an_element_without_answers_leaves_the_index_undefined():
    # Every element weighs 1/9: with u9 never answered there is no index to show.
    result = skm.compute([(4, 4, 4, 4, 4, 4, 4, 4, None)])
    assert result.elements[8].nrr is None
    assert result.index is None and result.converted is None and result.grade is None
    assert result.elements[0].nrr == 4


def test_no_responses():
    result = skm.compute([])
    assert result.respondents == 0 and result.index is None and result.weakest() is None


def test_blank_forms_do_not_count_as_respondents_and_bad_scores_are_refused():
    assert skm.compute([(None,) * 9, ALL_4]).respondents == 1
    with pytest.raises(ValueError):
        skm.compute([(5, 4, 4, 4, 4, 4, 4, 4, 4)])
    with pytest.raises(ValueError):
        skm.compute([(4, 4)])


def test_extremes_are_25_and_100():
    assert skm.compute([(1,) * 9]).converted == 25
    assert skm.compute([(1,) * 9]).grade.letter == "D"
    assert skm.compute([ALL_4]).converted == 100
    assert skm.compute([ALL_4]).grade.letter == "A"


def _forms(high: int, high_count: int, low: int, low_count: int) -> list[tuple[int, ...]]:
    return [(high,) * 9] * high_count + [(low,) * 9] * low_count


@pytest.mark.parametrize(("forms", "nrr", "shown", "letter"), [
    # 5000 forms, every element alike, so converted = NRR × 25 exactly.
    # 2661 × 4 + 2339 × 3 = 17661 -> NRR 17661/5000 = 3.5322 -> 88.305 exactly.
    # The table has A from 88.31 and B up to 88.30: 88.305 is shown 88.31, so it is A.
    (_forms(4, 2661, 3, 2339), Fraction(17661, 5000), "88.31", "A"),
    # 2660 × 4 + 2340 × 3 = 17660 -> 3.532 -> 88.30 exactly -> B (top of B)
    (_forms(4, 2660, 3, 2340), Fraction(17660, 5000), "88.30", "B"),
    # 321 × 4 + 4679 × 3 = 15321 -> 3.0642 -> 76.605 -> shown 76.61 -> B (bottom of B)
    (_forms(4, 321, 3, 4679), Fraction(15321, 5000), "76.61", "B"),
    # 320 × 4 + 4680 × 3 = 15320 -> 3.064 -> 76.60 -> C (top of C)
    (_forms(4, 320, 3, 4680), Fraction(15320, 5000), "76.60", "C"),
    # 2999 × 3 + 2001 × 2 = 12999 -> 2.5998 -> 64.995 -> shown 65.00 -> C (bottom of C).
    # A binary float says round(64.995, 2) == 64.99 (it stores 64.99499…) and would grade D;
    # 2.5998 also falls in the gap of the regulation's index table (D to 2.5996, C from 2.60).
    (_forms(3, 2999, 2, 2001), Fraction(12999, 5000), "65.00", "C"),
    # 2998 × 3 + 2002 × 2 = 12998 -> 2.5996 -> 64.99 -> D (top of D)
    (_forms(3, 2998, 2, 2002), Fraction(12998, 5000), "64.99", "D"),
])
def test_grade_boundaries_follow_the_two_decimal_presentation(forms, nrr, shown, letter):
    result = skm.compute(forms)
    assert result.respondents == 5000
    assert result.index == nrr
    assert result.converted == nrr * 25
    assert str(skm.round_half_up(result.converted, 2)) == shown
    assert result.grade.letter == letter


@pytest.mark.parametrize(("score", "letter"), [
    (Fraction("100"), "A"), (Fraction("88.31"), "A"), (Fraction("88.305"), "A"),
    (Fraction("88.3049999"), "B"), (Fraction("88.30"), "B"), (Fraction("76.61"), "B"),
    (Fraction("76.6049"), "C"), (Fraction("65"), "C"), (Fraction("64.9949"), "D"),
    (Fraction("25"), "D"),
])
def test_grade_of_reads_the_rounded_score(score, letter):
    assert skm.grade_of(score).letter == letter


def test_a_score_below_the_scale_is_an_error():
    with pytest.raises(ValueError):
        skm.grade_of(Fraction(2499, 100))


def test_old_ikm_scale_grades_the_same_score_more_leniently():
    # 84.26 is B on the SKM scale (76.61-88.30) but A on the IKM scale (81.26-100).
    result = skm.compute([ALL_4, ALL_3, (3, 4, 2, 4, 3, 3, 4, 2, 3)])
    assert (result.grade.letter, result.ikm_grade.letter) == ("B", "A")


def test_round_half_up_is_exact():
    assert skm.round_half_up(Fraction(1, 8), 2) == Decimal("0.13")  # 0.125 -> 0.13
    assert skm.round_half_up(Fraction(2275, 27), 2) == Decimal("84.26")
    assert skm.round_half_up(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert skm.round_half_up(Fraction(4), 3) == Decimal("4.000")


def test_tallies_add_up_like_the_raw_answers():
    a = [ALL_4, (3, None, 3, 3, 3, 3, 3, 3, 3)]
    b = [(2, 2, 2, 2, 2, 2, 2, 2, 2)]
    assert skm.tally(a) + skm.tally(b) == skm.tally(a + b)
    assert skm.result(skm.tally(a + b)) == skm.compute(a + b)


@pytest.mark.parametrize(("population", "sample"), [
    # Krejcie & Morgan's table: N=10 -> 10, 50 -> 44, 100 -> 80, 1000 -> 278, 3000 -> 341.
    # N=50: 3.841×50×0.25 / (0.0025×49 + 3.841×0.25) = 48.0125 / 1.08275 = 44.34 -> 44
    (10, 10), (50, 44), (100, 80), (1000, 278), (3000, 341), (0, 0), (1, 1),
])
def test_required_sample_matches_krejcie_and_morgan(population, sample):
    assert skm.required_sample(population) == sample
