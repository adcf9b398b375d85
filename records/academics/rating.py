"""The rating formula: two ratings and an exam make the final grade of a discipline (domain.md §1.2).

Rules, in order:

1. Every score is 0..100 and is taken at the statement's precision: rounded half up to
   ``policy.rating.percent_places`` decimals (whole points by default).
2. Admission rating = rating1_weight·R1 + rating2_weight·R2 (the average (R1+R2)/2 by default),
   rounded the same way. It is computed from the values printed on the statement, so anyone can
   re-check the statement column by column.
3. Admission (рейтинг допуска): mode "average" needs admission rating ≥ threshold (syllabus
   template); mode "each" needs R1 ≥ threshold and R2 ≥ threshold (ATU). A prerequisite debt also
   bars admission. A student not admitted gets no exam, no final percent and no grade.
4. An exam below the exam pass threshold fails the discipline whatever the ratings (KazNU: a final
   grade is computed only if both parts are positive): the grade is FX or F by the exam score
   (see ``grading.failing_grade_for_exam``) and the final percent shown is the exam score.
   domain.md leaves this presentation unconfirmed.
5. Otherwise final percent = admission_weight·AR + exam_weight·exam (0.6/0.4), rounded half up, and
   banded by ``grading.grade_for_percent``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.translation import gettext_lazy as _

from records.academics.errors import AcademicInputError, Reason, score
from records.academics.grading import Grade, failing_grade_for_exam, grade_for_percent
from records.academics.policy import DEFAULT_POLICY, AcademicPolicy
from records.academics.rounding import round_half_up


@dataclass(frozen=True)
class ExamResult:
    """The computed columns of one student's line in an exam grade statement."""

    rating1: Decimal
    rating2: Decimal
    admission_rating: Decimal
    admitted: bool
    exam: Decimal | None
    final_percent: Decimal | None
    grade: Grade | None
    not_admitted_reasons: tuple[Reason, ...] = ()
    exam_failed: bool = False  # the exam is below the pass threshold: FX or F whatever the ratings

    @property
    def not_admitted_reason(self) -> Reason | None:
        """The first reason the student was not admitted, or None when admitted."""
        return self.not_admitted_reasons[0] if self.not_admitted_reasons else None

    @property
    def absent(self) -> bool:
        """Admitted but without an exam score (did not sit the exam: an academic debt)."""
        return self.admitted and self.exam is None


def admission_rating(rating1: object, rating2: object, policy: AcademicPolicy = DEFAULT_POLICY) -> Decimal:
    """The admission rating (рейтинг допуска) of two ratings, rounded half up to the policy's places."""
    rules = policy.rating
    places = rules.percent_places
    r1 = round_half_up(score(rating1, name="rating 1"), places)
    r2 = round_half_up(score(rating2, name="rating 2"), places)
    return round_half_up(rules.rating1_weight * r1 + rules.rating2_weight * r2, places)


def admission_cutoff(policy: AcademicPolicy = DEFAULT_POLICY) -> Decimal:
    """The weighted sum of two ratings below which the admission rating, rounded half up, falls below
    the threshold: ``round_half_up(x, places) < threshold`` exactly when ``x < cutoff`` (x ≥ 0). For
    counting thousands of students without rounding each (by default 49.5: 49.5 rounds to 50)."""
    rules = policy.rating
    unit = Decimal(1).scaleb(-rules.percent_places)
    # Rounded values are multiples of the unit: the lowest admitted one is the threshold rounded up
    # to the unit, and everything from half a unit below it rounds up to it.
    return rules.admission_threshold.quantize(unit, rounding=ROUND_CEILING) - unit / 2


def _admission_refusals(
    r1: Decimal, r2: Decimal, ar: Decimal, policy: AcademicPolicy, prerequisite_debts: Sequence[str]
) -> list[Reason]:
    rules = policy.rating
    threshold = rules.admission_threshold
    reasons: list[Reason] = []
    if rules.admission_mode == "each":
        for name, value in (("rating1", r1), ("rating2", r2)):
            if value < threshold:
                reasons.append(
                    Reason(
                        f"{name}_below_threshold",
                        _("Rating %(number)s is %(value)s, below the admission threshold of %(threshold)s."),
                        {"number": name[-1], "value": value, "threshold": threshold},
                    )
                )
    elif ar < threshold:
        reasons.append(
            Reason(
                "admission_rating_below_threshold",
                _("The admission rating is %(value)s, below the threshold of %(threshold)s."),
                {"value": ar, "threshold": threshold},
            )
        )
    for discipline in prerequisite_debts:
        reasons.append(
            Reason(
                "prerequisite_debt",
                _("Academic debt in the prerequisite discipline %(discipline)s."),
                {"discipline": discipline},
            )
        )
    return reasons


def final_result(
    rating1: object,
    rating2: object,
    exam: object | None,
    policy: AcademicPolicy = DEFAULT_POLICY,
    *,
    prerequisite_debts: Sequence[str] = (),
) -> ExamResult:
    """Admission rating, admission, final percent and grade of one student in one discipline.

    ``exam`` is None when the student did not sit the exam. An exam score for a student who is not
    admitted is an error (AcademicInputError "exam_without_admission").
    """
    places = policy.rating.percent_places
    r1 = round_half_up(score(rating1, name="rating 1"), places)
    r2 = round_half_up(score(rating2, name="rating 2"), places)
    exam_score = None if exam is None else round_half_up(score(exam, name="exam"), places)
    ar = admission_rating(r1, r2, policy)
    refusals = _admission_refusals(r1, r2, ar, policy, prerequisite_debts)
    if refusals:
        if exam_score is not None:
            raise AcademicInputError(
                "exam_without_admission",
                _("An exam score (%(exam)s) is given for a student who is not admitted: %(reason)s"),
                exam=exam_score,
                reason=refusals[0].message,
            )
        return ExamResult(r1, r2, ar, False, None, None, None, tuple(refusals))
    if exam_score is None:
        return ExamResult(r1, r2, ar, True, None, None, None)
    if exam_score < policy.rating.exam_pass_threshold:
        failing = failing_grade_for_exam(exam_score, policy)
        return ExamResult(r1, r2, ar, True, exam_score, exam_score, failing, exam_failed=True)
    rules = policy.rating
    final = round_half_up(rules.admission_weight * ar + rules.exam_weight * exam_score, places)
    return ExamResult(r1, r2, ar, True, exam_score, final, grade_for_percent(final, policy))
