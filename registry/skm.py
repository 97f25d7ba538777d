"""The SKM index of PermenPAN-RB 14/2017, computed exactly.

NRR of an element = sum of its scores / number of answers; index = Σ NRR × 1/9; converted
score (nilai SKM) = index × 25. Everything stays a `Fraction` until it is shown. The regulation
publishes its grade table with two decimals (A 88.31-100, B 76.61-88.30, ...), which leaves
gaps such as 88.305. The grade is therefore taken from the converted score rounded half-up to
two decimals, the figure people see: 88.305 shows as 88.31 and is A, 88.3049... shows as 88.30
and is B, so a published figure and its grade always agree with the table.

The weight is exactly 1/9, not the 0.11 the regulation's worked example rounds it to (that
shortcut caps the score at 99).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

SCALE = (1, 2, 3, 4)
CONVERSION = 25


@dataclass(frozen=True)
class Element:
    key: str  # the column of `SurveyResponse`: u1..u9
    number: int
    name: str  # as the regulation names it


ELEMENTS = (
    Element("u1", 1, "Persyaratan"),
    Element("u2", 2, "Sistem, mekanisme dan prosedur"),
    Element("u3", 3, "Waktu penyelesaian"),
    Element("u4", 4, "Biaya/tarif"),
    Element("u5", 5, "Produk spesifikasi jenis pelayanan"),
    Element("u6", 6, "Kompetensi pelaksana"),
    Element("u7", 7, "Perilaku pelaksana"),
    Element("u8", 8, "Penanganan pengaduan, saran dan masukan"),
    Element("u9", 9, "Sarana dan prasarana"),
)
WEIGHT = Fraction(1, len(ELEMENTS))


@dataclass(frozen=True)
class Grade:
    letter: str
    label: str  # kinerja unit pelayanan
    lowest: Decimal  # the lowest two-decimal converted score with this grade


SKM_GRADES = (
    Grade("A", "Sangat baik", Decimal("88.31")),
    Grade("B", "Baik", Decimal("76.61")),
    Grade("C", "Kurang baik", Decimal("65.00")),
    Grade("D", "Tidak baik", Decimal("25.00")),
)
# KepMenPAN 25/2004 (IKM, 14 elements), for comparing grade scales only.
IKM_GRADES = (
    Grade("A", "Sangat baik", Decimal("81.26")),
    Grade("B", "Baik", Decimal("62.51")),
    Grade("C", "Kurang baik", Decimal("43.76")),
    Grade("D", "Tidak baik", Decimal("25.00")),
)


def round_half_up(value: Fraction, places: int) -> Decimal:
    """``value`` to ``places`` decimals, halves away from zero, with no binary floats."""
    scale = 10 ** places
    scaled = abs(value) * scale
    whole = int(scaled + Fraction(1, 2))
    sign = -1 if value < 0 else 1
    return Decimal(sign * whole).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def grade_of(converted: Fraction, grades: Sequence[Grade] = SKM_GRADES) -> Grade:
    """The grade of a converted score (25-100), read on its two-decimal presentation."""
    shown = round_half_up(converted, 2)
    for grade in grades:
        if shown >= grade.lowest:
            return grade
    raise ValueError(f"converted score {shown} is below 25: scores are 1-4")


@dataclass(frozen=True)
class Tally:
    """Sums and answer counts per element, and how many respondents gave them.

    Tallies add up, so an office's or a month's can be combined without the raw answers.
    """

    respondents: int = 0
    totals: tuple[int, ...] = field(default=(0,) * len(ELEMENTS))
    answers: tuple[int, ...] = field(default=(0,) * len(ELEMENTS))

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.respondents + other.respondents,
                     tuple(a + b for a, b in zip(self.totals, other.totals, strict=True)),
                     tuple(a + b for a, b in zip(self.answers, other.answers, strict=True)))


def tally(rows: Iterable[Sequence[int | None]]) -> Tally:
    """The tally of raw answer rows (nine scores each, None where left blank)."""
    result = Tally()
    for row in rows:
        if len(row) != len(ELEMENTS):
            raise ValueError(f"a response has {len(ELEMENTS)} scores, not {len(row)}")
        if any(s is not None and s not in SCALE for s in row):
            raise ValueError(f"scores are 1-4: {row}")
        if all(s is None for s in row):
            continue
        result += Tally(1, tuple(s or 0 for s in row), tuple(int(s is not None) for s in row))
    return result


@dataclass(frozen=True)
class ElementScore:
    element: Element
    total: int
    answers: int

    @property
    def nrr(self) -> Fraction | None:
        return Fraction(self.total, self.answers) if self.answers else None

    @property
    def converted(self) -> Fraction | None:
        return None if self.nrr is None else self.nrr * CONVERSION

    @property
    def grade(self) -> Grade | None:
        return None if self.converted is None else grade_of(self.converted)


@dataclass(frozen=True)
class Result:
    """The SKM of one group of responses. ``index`` is None while an element has no answer:
    the regulation weighs all nine equally, so a missing one cannot be left out."""

    respondents: int
    elements: tuple[ElementScore, ...]

    @property
    def index(self) -> Fraction | None:
        nrrs = [e.nrr for e in self.elements]
        if any(n is None for n in nrrs):
            return None
        return sum((n * WEIGHT for n in nrrs), Fraction(0))

    @property
    def converted(self) -> Fraction | None:
        index = self.index
        return None if index is None else index * CONVERSION

    @property
    def grade(self) -> Grade | None:
        converted = self.converted
        return None if converted is None else grade_of(converted)

    @property
    def ikm_grade(self) -> Grade | None:
        """The same score on the older IKM grade scale (comparison only)."""
        converted = self.converted
        return None if converted is None else grade_of(converted, IKM_GRADES)

    def weakest(self) -> ElementScore | None:
        """The element to improve first: lowest NRR (first in regulation order on a tie)."""
        scored = [e for e in self.elements if e.nrr is not None]
        return min(scored, key=lambda e: e.nrr) if scored else None


def result(counted: Tally) -> Result:
    return Result(counted.respondents, tuple(
        ElementScore(e, t, a) for e, t, a in zip(ELEMENTS, counted.totals, counted.answers,
                                                  strict=True)))


def compute(rows: Iterable[Sequence[int | None]]) -> Result:
    return result(tally(rows))


def required_sample(population: int) -> int:
    """Respondents needed for ``population`` service users by Krejcie & Morgan (1970), the
    sample table the regulation refers to: s = X²NP(1-P) / (d²(N-1) + X²P(1-P)) with
    X² = 3.841, P = 0.5, d = 0.05, rounded half-up (the printed table differs by up to 2 at
    its top rows, where it was rounded by hand)."""
    if population <= 0:
        return 0
    chi2, p, d = Fraction(3841, 1000), Fraction(1, 2), Fraction(5, 100)
    s = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return int(s + Fraction(1, 2))
