"""State scholarship for the coming semester (Govt Decree No. 116 of 07.02.2008 as amended; domain.md §2.6).

Rules, every exclusion reason listed:

- only students whose funding is in ``scholarship.funding_sources`` (state order) qualify;
- a student on academic leave gets nothing, except medical leave: a student who was receiving the
  scholarship keeps the same rate (Decree 116 p.14; ``medical_leave_continues``);
- first-year students get the base rate in their first semester, before any session
  (``first_year_first_semester``);
- otherwise the preceding session decides: every discipline graded, admitted, and with a letter in
  ``qualifying_letters`` ("good" or "excellent": A..C+ by default). Not admitted, no grade (missed
  exam), FX, F or any grade below "good" excludes the student;
- the increased rate when every grade is in ``increased_letters`` (A, A-), the base rate otherwise.

Amounts are inputs (they change by government decree), not part of the policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext_lazy as _

from records.academics.errors import AcademicInputError, Reason, to_decimal
from records.academics.grading import grade_for_letter
from records.academics.policy import DEFAULT_POLICY, AcademicPolicy
from records.academics.rating import ExamResult

Rate = Literal["none", "base", "increased"]
Leave = Literal["none", "medical", "other"]


@dataclass(frozen=True)
class StudentFacts:
    """What the scholarship rule needs to know about a student for the semester being decided.

    ``year_of_study`` and ``semester`` (1 or 2 within the year) name the semester the scholarship
    would be paid for; ``rate_before_leave`` is the rate paid when a leave began.
    """

    funding: str
    year_of_study: int
    semester: int
    academic_leave: Leave = "none"
    rate_before_leave: Rate = "none"

    def __post_init__(self) -> None:
        if (
            isinstance(self.year_of_study, bool)
            or not isinstance(self.year_of_study, int)
            or self.year_of_study < 1
        ):
            raise AcademicInputError(
                "bad_year_of_study",
                _("The year of study must be 1 or more, got %(year)s."),
                year=repr(self.year_of_study),
            )
        if self.semester not in (1, 2):
            raise AcademicInputError(
                "bad_semester",
                _("The semester must be 1 or 2, got %(semester)s."),
                semester=repr(self.semester),
            )
        if self.academic_leave not in ("none", "medical", "other"):
            raise AcademicInputError(
                "bad_leave", _("Unknown academic leave kind %(leave)s."), leave=repr(self.academic_leave)
            )
        if self.rate_before_leave not in ("none", "base", "increased"):
            raise AcademicInputError(
                "bad_rate", _("Unknown scholarship rate %(rate)s."), rate=repr(self.rate_before_leave)
            )


@dataclass(frozen=True)
class TermGrade:
    """One discipline of the preceding session: its letter, None when not graded, and admission."""

    discipline_code: str
    letter: str | None
    admitted: bool = True

    @classmethod
    def from_exam_result(cls, discipline_code: str, result: ExamResult) -> TermGrade:
        """The session line of a computed exam result."""
        return cls(discipline_code, result.grade.letter if result.grade else None, result.admitted)


@dataclass(frozen=True)
class ScholarshipAmounts:
    """Monthly amounts of the base and increased scholarship (set by decree, e.g. 47,135 / 54,205 KZT)."""

    base: Decimal
    increased: Decimal

    def __post_init__(self) -> None:
        base = to_decimal(self.base, name="base amount")
        increased = to_decimal(self.increased, name="increased amount")
        if base < 0 or increased < base:
            raise AcademicInputError(
                "bad_amounts",
                _("Scholarship amounts must satisfy 0 ≤ base ≤ increased, got %(base)s and %(increased)s."),
                base=base,
                increased=increased,
            )
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "increased", increased)

    def for_rate(self, rate: Rate) -> Decimal:
        """The monthly amount of a rate (0 for none)."""
        return {"none": Decimal(0), "base": self.base, "increased": self.increased}[rate]


@dataclass(frozen=True)
class ScholarshipDecision:
    """Eligibility, rate and monthly amount, with the reason for the award or every exclusion."""

    eligible: bool
    rate: Rate
    amount: Decimal
    reasons: tuple[Reason, ...]

    @property
    def codes(self) -> list[str]:
        """The reason codes, in order."""
        return [reason.code for reason in self.reasons]


def _grade_reasons(term_grades: Sequence[TermGrade], policy: AcademicPolicy) -> list[Reason]:
    qualifying = policy.scholarship.qualifying_letters
    reasons: list[Reason] = []
    if not term_grades:
        reasons.append(Reason("no_results", _("There are no results of the preceding session.")))
    for line in term_grades:
        params = {"discipline": line.discipline_code, "letter": line.letter or ""}
        if not line.admitted:
            reasons.append(Reason("not_admitted", _("Not admitted to the exam in %(discipline)s."), params))
        elif line.letter is None:
            reasons.append(Reason("no_grade", _("No grade in %(discipline)s (the exam was missed)."), params))
        elif not grade_for_letter(line.letter, policy).is_positive:
            reasons.append(Reason("failed", _("Unsatisfactory grade %(letter)s in %(discipline)s."), params))
        elif line.letter not in qualifying:
            reasons.append(
                Reason(
                    "grade_below_good",
                    _('Grade %(letter)s in %(discipline)s is below "good".'),
                    params,
                )
            )
    return reasons


def _refused(reasons: list[Reason]) -> ScholarshipDecision:
    return ScholarshipDecision(False, "none", Decimal(0), tuple(reasons))


def scholarship_decision(
    student: StudentFacts,
    term_grades: Sequence[TermGrade],
    policy: AcademicPolicy = DEFAULT_POLICY,
    amounts: ScholarshipAmounts | None = None,
) -> ScholarshipDecision:
    """Whether the student gets the state scholarship for the coming semester, at which rate and amount.

    Without ``amounts`` the amount is 0 and only the rate is decided.
    """
    rules = policy.scholarship
    amounts = amounts or ScholarshipAmounts(Decimal(0), Decimal(0))
    for line in term_grades:
        if line.letter is not None:
            grade_for_letter(line.letter, policy)
    reasons: list[Reason] = []
    if student.funding not in rules.funding_sources:
        reasons.append(
            Reason(
                "not_state_funded",
                _("Funding %(funding)s does not carry a state scholarship."),
                {"funding": student.funding},
            )
        )
    if student.academic_leave == "other":
        return _refused([*reasons, Reason("on_academic_leave", _("On academic leave (not medical)."))])
    if student.academic_leave == "medical":
        if not rules.medical_leave_continues or student.rate_before_leave == "none":
            reasons.append(
                Reason(
                    "medical_leave_without_scholarship",
                    _("On medical leave without a scholarship before it."),
                )
            )
        if reasons:
            return _refused(reasons)
        rate = student.rate_before_leave
        return ScholarshipDecision(
            True,
            rate,
            amounts.for_rate(rate),
            (Reason("medical_leave_continuation", _("The scholarship continues during medical leave.")),),
        )
    if rules.first_year_first_semester and student.year_of_study == 1 and student.semester == 1:
        if reasons:
            return _refused(reasons)
        reason = Reason(
            "first_semester", _("First-year students receive the scholarship in the first semester.")
        )
        return ScholarshipDecision(True, "base", amounts.base, (reason,))
    reasons += _grade_reasons(term_grades, policy)
    if reasons:
        return _refused(reasons)
    if all(line.letter in rules.increased_letters for line in term_grades):
        reason = Reason("all_excellent", _("All grades of the session are excellent."))
        return ScholarshipDecision(True, "increased", amounts.increased, (reason,))
    reason = Reason("good_results", _("All grades of the session are good or excellent."))
    return ScholarshipDecision(True, "base", amounts.base, (reason,))
