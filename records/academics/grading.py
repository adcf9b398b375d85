"""The letter grading scale: percent -> letter, points, traditional grade (domain.md §1.1).

Rounding before banding: the scale's bands are whole percents (… 24/25, 49/50, 94/95 …), so a
fractional percent is first rounded **half up to a whole number** and then banded: 94.49 -> 94 -> A-,
94.5 -> 95 -> A, 49.5 -> 50 -> D, 24.5 -> 25 -> FX. This holds whatever ``percent_places`` the
policy keeps for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from records.academics.errors import AcademicInputError, score
from records.academics.policy import DEFAULT_POLICY, AcademicPolicy, Category, GradeBand, LocalizedText
from records.academics.rounding import round_half_up


@dataclass(frozen=True)
class Grade:
    """A grade of the scale: letter, GPA points and the traditional 5-point equivalent."""

    letter: str
    points: Decimal
    traditional: LocalizedText
    traditional_mark: int
    category: Category

    @property
    def is_positive(self) -> bool:
        """True for a passing grade (A to D), false for FX and F."""
        return self.category != "unsatisfactory"

    @classmethod
    def from_band(cls, band: GradeBand) -> Grade:
        """The grade of one scale row."""
        return cls(
            letter=band.letter,
            points=band.points,
            traditional=band.traditional,
            traditional_mark=band.traditional_mark,
            category=band.category,
        )


def banding_percent(percent: object) -> int:
    """The whole percent used for banding: ``percent`` (0..100) rounded half up to an integer."""
    return int(round_half_up(score(percent, name="percent"), 0))


def grade_for_percent(percent: object, policy: AcademicPolicy = DEFAULT_POLICY) -> Grade:
    """The grade for a percent from 0 to 100 (rounded half up to a whole percent before banding)."""
    whole = banding_percent(percent)
    for band in policy.grading_scale:
        if band.percent_low <= whole <= band.percent_high:
            return Grade.from_band(band)
    raise AssertionError("a validated scale covers 0..100")  # pragma: no cover


def grade_for_letter(letter: str, policy: AcademicPolicy = DEFAULT_POLICY) -> Grade:
    """The grade of ``letter`` in the policy's scale, or AcademicInputError for an unknown letter."""
    band = policy.band(letter)
    if band is None:
        raise AcademicInputError(
            "unknown_letter",
            _("Grade %(letter)s is not in the grading scale (%(letters)s)."),
            letter=letter,
            letters=", ".join(b.letter for b in policy.grading_scale),
        )
    return Grade.from_band(band)


def failing_grade_for_exam(exam: Decimal, policy: AcademicPolicy = DEFAULT_POLICY) -> Grade:
    """The unsatisfactory grade of a failed exam: its own band when that is FX or F, else the best failing band.

    A failed exam gives FX (25-49) or F (0-24) by the exam score (KazNU §2.17.6: FX is used only for
    the final examination). If the policy's pass threshold lies above 50, an exam of e.g. 55 is still
    a failure; it gets the highest unsatisfactory grade (FX by default).
    """
    grade = grade_for_percent(exam, policy)
    if not grade.is_positive:
        return grade
    failing = [band for band in policy.grading_scale if band.category == "unsatisfactory"]
    return Grade.from_band(max(failing, key=lambda band: band.percent_high))
