"""Diploma with honours (диплом с отличием): Model Rules 595 p.52 via Abai KazNPU, domain.md §2.4.

All must hold, and every failed condition is listed:

- every exam grade that counts is in ``honours.allowed_letters`` (A..C+: "excellent" or "good");
  grades for additional types of study are left out by the caller;
- GPA ≥ ``honours.min_gpa`` (3.5);
- every final attestation grade (thesis defence or comprehensive exam) is in
  ``honours.final_attestation_letters`` (A, A-);
- no retake during the studies when ``honours.retakes_disqualify`` (KazATU; on by default).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from records.academics.errors import Decision, Reason, to_decimal
from records.academics.gpa import CourseAttempt, counting_attempts, weighted_gpa
from records.academics.grading import grade_for_letter
from records.academics.policy import DEFAULT_POLICY, AcademicPolicy


def honours_decision(
    course_grades: Mapping[str, str],
    gpa: Decimal | None,
    final_attestation_letters: Sequence[str],
    had_retakes: bool,
    policy: AcademicPolicy = DEFAULT_POLICY,
) -> Decision:
    """Whether the diploma is awarded with honours; when not, every reason.

    ``course_grades`` maps each discipline code to the letter that counts on the transcript.
    An unknown letter is an AcademicInputError.
    """
    rules = policy.honours
    for letter in [*course_grades.values(), *final_attestation_letters]:
        grade_for_letter(letter, policy)
    allowed = ", ".join(rules.allowed_letters)
    reasons: list[Reason] = []
    if not course_grades:
        reasons.append(Reason("no_grades", _("There are no exam grades.")))
    for discipline, letter in course_grades.items():
        if letter not in rules.allowed_letters:
            reasons.append(
                Reason(
                    "grade_not_allowed",
                    _("Grade %(letter)s in %(discipline)s; honours need every grade among %(allowed)s."),
                    {"letter": letter, "discipline": discipline, "allowed": allowed},
                )
            )
    if gpa is None:
        reasons.append(Reason("no_gpa", _("There is no GPA: no graded credits.")))
    elif to_decimal(gpa, name="GPA") < rules.min_gpa:
        reasons.append(
            Reason(
                "gpa_below_minimum",
                _("GPA %(gpa)s is below %(minimum)s."),
                {"gpa": gpa, "minimum": rules.min_gpa},
            )
        )
    if not final_attestation_letters:
        reasons.append(Reason("no_final_attestation", _("There is no final attestation grade.")))
    for letter in final_attestation_letters:
        if letter not in rules.final_attestation_letters:
            reasons.append(
                Reason(
                    "final_attestation_grade",
                    _("Final attestation grade %(letter)s; honours need %(allowed)s."),
                    {"letter": letter, "allowed": ", ".join(rules.final_attestation_letters)},
                )
            )
    if had_retakes and rules.retakes_disqualify:
        reasons.append(Reason("had_retakes", _("The student retook an examination during the studies.")))
    if reasons:
        return Decision(False, tuple(reasons))
    return Decision(True, (Reason("honours", _("All conditions for a diploma with honours are met.")),))


@dataclass(frozen=True)
class GpaFigure:
    """The GPA a rule uses and how it was computed: Σ(points × credits) / Σ credits of the attempts that
    count (one per discipline by the policy's retake rule), over `credits` credits of `disciplines`."""

    value: Decimal | None
    credits: int
    disciplines: int
    final_attestation_included: bool = False


def honours_gpa(attempts: Sequence[CourseAttempt], policy: AcademicPolicy = DEFAULT_POLICY) -> GpaFigure:
    """The GPA the honours rule judges: the caller leaves the final attestation out of `attempts`."""
    counting = counting_attempts(attempts, policy)
    return GpaFigure(
        value=weighted_gpa(counting, policy),
        credits=sum(attempt.credits for attempt in counting),
        disciplines=len({attempt.discipline_code for attempt in counting}),
    )


def honours_for_attempts(
    attempts: Sequence[CourseAttempt],
    final_attestation_letters: Sequence[str],
    policy: AcademicPolicy = DEFAULT_POLICY,
) -> Decision:
    """``honours_decision`` from a student's course attempts (final attestation left out by the caller).

    The counting grade of each discipline and the GPA follow gpa.py; any attempt flagged as a retake
    counts as a retake. Attempts outside GPA (additional types of study) are ignored.
    """
    counting = counting_attempts(attempts, policy)
    return honours_decision(
        {attempt.discipline_code: attempt.letter for attempt in counting},
        honours_gpa(attempts, policy).value,
        final_attestation_letters,
        any(attempt.is_retake and attempt.counts_in_gpa for attempt in attempts),
        policy,
    )
