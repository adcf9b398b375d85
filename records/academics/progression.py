"""Transfer to the next year of study (domain.md §1.3; KazNU §2.24, Abai KazNPU thresholds).

The student moves on when the cumulative GPA (rounded as in gpa.py) is at least the policy's
threshold for the degree level and year of study, and no academic debt is open. Below the threshold
the student repeats the year. Every refusal reason is listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from records.academics.errors import AcademicInputError, Decision, Reason, to_decimal
from records.academics.policy import DEFAULT_POLICY, AcademicPolicy


def may_move_to_next_year(
    year_of_study: int,
    gpa: Decimal | None,
    policy: AcademicPolicy = DEFAULT_POLICY,
    *,
    level: str = "bachelor",
    open_debts: Sequence[str] = (),
) -> Decision:
    """Whether a student of ``year_of_study`` at ``level`` moves to the next year, with every refusal reason.

    ``gpa`` is the cumulative GPA (None when nothing was graded). ``open_debts`` are the codes of
    disciplines with an uncleared unsatisfactory grade or a missed exam. A year with no threshold in
    the policy (e.g. the last year) is an AcademicInputError.
    """
    if isinstance(year_of_study, bool) or not isinstance(year_of_study, int) or year_of_study < 1:
        raise AcademicInputError(
            "bad_year_of_study",
            _("The year of study must be 1 or more, got %(year)s."),
            year=repr(year_of_study),
        )
    threshold = policy.progression.threshold(level, year_of_study)
    if threshold is None:
        raise AcademicInputError(
            "no_transfer_threshold",
            _("The policy sets no transfer GPA for year %(year)s of %(level)s."),
            year=year_of_study,
            level=level,
        )
    reasons: list[Reason] = []
    if gpa is None:
        reasons.append(Reason("no_gpa", _("There is no GPA: no graded credits.")))
    else:
        value = to_decimal(gpa, name="GPA")
        if value < threshold:
            reasons.append(
                Reason(
                    "gpa_below_threshold",
                    _("GPA %(gpa)s is below %(threshold)s, the minimum to leave year %(year)s."),
                    {"gpa": value, "threshold": threshold, "year": year_of_study},
                )
            )
    for discipline in open_debts:
        reasons.append(
            Reason("academic_debt", _("Academic debt in %(discipline)s."), {"discipline": discipline})
        )
    if reasons:
        return Decision(False, tuple(reasons))
    return Decision(
        True,
        (
            Reason(
                "gpa_meets_threshold",
                _("GPA %(gpa)s meets the minimum of %(threshold)s for year %(year)s."),
                {"gpa": gpa, "threshold": threshold, "year": year_of_study},
            ),
        ),
    )
