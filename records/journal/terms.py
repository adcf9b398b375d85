"""Which academic policy governs a journal: the one in force early in its term."""

from __future__ import annotations

import datetime as dt

from records.academics.policy import AcademicPolicy
from records.projections.policy import policy_book


def term_day(academic_year: int, period: int) -> dt.date:
    """A day early in the term, to pick the policy in force (1 September, 1 February)."""
    return dt.date(academic_year, 9, 1) if period != 2 else dt.date(academic_year + 1, 2, 1)


def term_policy(academic_year: int, period: int) -> AcademicPolicy:
    """The academic policy in force early in the term."""
    return policy_book().at(term_day(academic_year, period))[0]
