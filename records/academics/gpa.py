"""GPA: Σ(points × credits) / Σ credits (domain.md §1.4).

Rules:

- Every attempt counts with its own credits and the points recorded with it, except the FX letter,
  which counts for ``policy.gpa.fx_points`` (0 by default; APA prints 0.5). F counts as 0.
- Attempts flagged ``counts_in_gpa=False`` (additional types of study, pass/fail) never count.
- Retakes: when a discipline has several attempts, ``policy.gpa.retake_counting`` (or the
  ``counting`` argument) decides which count in the cumulative GPA: "last" (the latest attempt; the
  transcript shows the latest grades), "best" (the highest points; the latest on a tie) or "all".
  Attempts are ordered by term, then first attempt before retake, then input order.
- Term GPA applies the same rule to the attempts of that term only; cumulative GPA up to a term
  applies it to the attempts up to and including that term.
- The result is rounded half up to ``policy.gpa.places`` decimals (2): 3.165 -> 3.17. No credits
  counted gives None, not 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from records.academics.errors import AcademicInputError, to_decimal
from records.academics.policy import DEFAULT_POLICY, AcademicPolicy, RetakeCounting
from records.academics.rounding import round_half_up

TERM_PERIODS = (1, 2, 3)  # autumn, spring, summer


@dataclass(frozen=True, order=True)
class Term:
    """An academic period: the academic year's start (2024 for 2024/25) and the period 1, 2 or 3 (summer)."""

    academic_year: int
    period: int

    def __post_init__(self) -> None:
        if self.period not in TERM_PERIODS:
            raise AcademicInputError(
                "bad_term",
                _("The academic period must be 1, 2 or 3 (summer), got %(period)s."),
                period=self.period,
            )
        if not 1900 <= self.academic_year <= 2999:
            raise AcademicInputError(
                "bad_term", _("The academic year %(year)s is out of range."), year=self.academic_year
            )

    def __str__(self) -> str:
        return f"{self.academic_year}/{self.academic_year + 1}-{self.period}"


@dataclass(frozen=True)
class CourseAttempt:
    """One graded attempt at a discipline, as it stands in a registered statement."""

    discipline_code: str
    credits: int
    points: Decimal
    letter: str
    term: Term
    is_retake: bool = False
    counts_in_gpa: bool = True

    def __post_init__(self) -> None:
        if not self.discipline_code.strip():
            raise AcademicInputError("bad_attempt", _("An attempt has no discipline code."))
        if isinstance(self.credits, bool) or not isinstance(self.credits, int) or self.credits <= 0:
            raise AcademicInputError(
                "bad_credits",
                _("Discipline %(discipline)s: credits must be a positive whole number, got %(credits)s."),
                discipline=self.discipline_code,
                credits=repr(self.credits),
            )
        points = to_decimal(self.points, name="points")
        if points < 0:
            raise AcademicInputError(
                "bad_points",
                _("Discipline %(discipline)s: points must not be negative, got %(points)s."),
                discipline=self.discipline_code,
                points=points,
            )
        object.__setattr__(self, "points", points)


@dataclass(frozen=True)
class TermGpa:
    """GPA of one term and cumulative GPA up to and including it."""

    term: Term
    term_gpa: Decimal | None
    term_credits: int
    cumulative_gpa: Decimal | None
    cumulative_credits: int


def points_in_gpa(attempt: CourseAttempt, policy: AcademicPolicy = DEFAULT_POLICY) -> Decimal:
    """The points an attempt counts for in GPA (the policy's FX points for FX, else its own points)."""
    return policy.gpa.fx_points if attempt.letter == policy.gpa.fx_letter else attempt.points


def counting_attempts(
    attempts: Iterable[CourseAttempt],
    policy: AcademicPolicy = DEFAULT_POLICY,
    *,
    counting: RetakeCounting | None = None,
    up_to: Term | None = None,
    only_term: Term | None = None,
) -> list[CourseAttempt]:
    """The attempts that count in GPA under the retake rule, in input order."""
    rule = counting or policy.gpa.retake_counting
    indexed = [
        (index, attempt)
        for index, attempt in enumerate(attempts)
        if attempt.counts_in_gpa
        and (up_to is None or attempt.term <= up_to)
        and (only_term is None or attempt.term == only_term)
    ]
    if rule == "all":
        return [attempt for _index, attempt in indexed]
    by_discipline: dict[str, list[tuple[int, CourseAttempt]]] = {}
    for index, attempt in indexed:
        by_discipline.setdefault(attempt.discipline_code, []).append((index, attempt))
    chosen: list[tuple[int, CourseAttempt]] = []
    for group in by_discipline.values():
        if rule == "last":
            chosen.append(max(group, key=lambda item: (item[1].term, item[1].is_retake, item[0])))
        else:
            chosen.append(
                max(
                    group,
                    key=lambda item: (
                        points_in_gpa(item[1], policy),
                        item[1].term,
                        item[1].is_retake,
                        item[0],
                    ),
                )
            )
    return [attempt for _index, attempt in sorted(chosen, key=lambda item: item[0])]


def weighted_gpa(
    attempts: Sequence[CourseAttempt], policy: AcademicPolicy = DEFAULT_POLICY
) -> Decimal | None:
    """Σ(points × credits) / Σ credits of exactly these attempts, rounded half up; None without credits."""
    credits = sum(attempt.credits for attempt in attempts)
    if credits == 0:
        return None
    total = sum((points_in_gpa(attempt, policy) * attempt.credits for attempt in attempts), Decimal(0))
    return round_half_up(total / credits, policy.gpa.places)


def gpa(
    attempts: Iterable[CourseAttempt],
    policy: AcademicPolicy = DEFAULT_POLICY,
    *,
    counting: RetakeCounting | None = None,
    up_to: Term | None = None,
) -> Decimal | None:
    """Cumulative GPA over all attempts (or those up to and including ``up_to``); None without credits."""
    return weighted_gpa(counting_attempts(attempts, policy, counting=counting, up_to=up_to), policy)


def term_gpa(
    attempts: Iterable[CourseAttempt],
    term: Term,
    policy: AcademicPolicy = DEFAULT_POLICY,
    *,
    counting: RetakeCounting | None = None,
) -> Decimal | None:
    """GPA of one term's attempts (the retake rule applied within the term); None without credits."""
    return weighted_gpa(counting_attempts(attempts, policy, counting=counting, only_term=term), policy)


def gpa_by_term(
    attempts: Iterable[CourseAttempt],
    policy: AcademicPolicy = DEFAULT_POLICY,
    *,
    counting: RetakeCounting | None = None,
) -> list[TermGpa]:
    """Term and cumulative GPA for every term that has attempts, in term order."""
    attempts = list(attempts)
    rows: list[TermGpa] = []
    for term in sorted({attempt.term for attempt in attempts}):
        in_term = counting_attempts(attempts, policy, counting=counting, only_term=term)
        so_far = counting_attempts(attempts, policy, counting=counting, up_to=term)
        rows.append(
            TermGpa(
                term=term,
                term_gpa=weighted_gpa(in_term, policy),
                term_credits=sum(attempt.credits for attempt in in_term),
                cumulative_gpa=weighted_gpa(so_far, policy),
                cumulative_credits=sum(attempt.credits for attempt in so_far),
            )
        )
    return rows
