"""Current control as pure rules: term weeks, half-semesters, ratings Р1/Р2 and attendance.

Rules (records.academics.policy.JournalRules, domain.md §1.2):

1. The term's classes run ``term_weeks`` weeks from its start (autumn_start in the academic year's
   first calendar year, spring_start in its second). A class dated outside is refused.
2. Weeks 1..midterm_week are the first half (РК1), the rest the second (РК2).
3. ТК of a half = the mean of the student's current marks at the half's ordinary classes; an
   unexcused absence at a class where marks were given counts as 0 when absence_counts_as_zero; no
   mark at all gives ТК = 0. РК = the student's mark at the half's midterm-control class (0 when
   missing). Р = current_weight·ТК + midterm_weight·РК, each rounded half up to the policy's places.
4. Attendance = present / classes marked (present + absent + excused), in percent; excused absences
   are counted apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from records.academics.errors import AcademicInputError
from records.academics.policy import AcademicPolicy
from records.academics.rating import admission_rating
from records.academics.rounding import round_half_up

PRESENT, ABSENT, EXCUSED = "present", "absent", "excused"
ATTENDANCE_VALUES = ("", PRESENT, ABSENT, EXCUSED)


@dataclass(frozen=True)
class TermWeeks:
    """The first and last day classes may be held in a term, and the last day of the first half."""

    start: dt.date
    end: dt.date
    first_half_end: dt.date

    def half(self, date: dt.date) -> int:
        """1 or 2: the half-semester of ``date`` (inside the term)."""
        return 1 if date <= self.first_half_end else 2


def term_weeks(year: int, period: int, policy: AcademicPolicy) -> TermWeeks:
    """The class weeks of the autumn (1) or spring (2) term of academic year ``year``."""
    rules = policy.journal
    if period not in (1, 2):
        raise AcademicInputError(
            "journal_period",
            _("A journal is kept for the autumn (1) or spring (2) term, not %(period)s."),
            period=period,
        )
    month, day = (
        int(part) for part in (rules.autumn_start if period == 1 else rules.spring_start).split("-")
    )
    start = dt.date(year if period == 1 else year + 1, month, day)
    end = start + dt.timedelta(weeks=rules.term_weeks, days=-1)
    return TermWeeks(start, end, start + dt.timedelta(weeks=rules.midterm_week, days=-1))


def check_class_date(date: dt.date, weeks: TermWeeks) -> None:
    """Refuse a class dated outside the term's class weeks."""
    if not weeks.start <= date <= weeks.end:
        raise AcademicInputError(
            "date_outside_term",
            _("The date %(date)s is outside the term (%(start)s – %(end)s)."),
            date=date.isoformat(),
            start=weeks.start.isoformat(),
            end=weeks.end.isoformat(),
        )


def check_mark(value: Decimal, policy: AcademicPolicy) -> Decimal:
    """A current or midterm mark must lie in 0..mark_max."""
    top = policy.journal.mark_max
    if not Decimal(0) <= value <= top:
        raise AcademicInputError(
            "mark_out_of_range",
            _("A mark must be between 0 and %(max)s, got %(value)s."),
            max=top,
            value=value,
        )
    return value


@dataclass(frozen=True)
class Cell:
    """One student at one class: attendance ('' unmarked) and the mark, if any."""

    attendance: str = ""
    mark: Decimal | None = None


@dataclass(frozen=True)
class ClassInfo:
    """What the rules need of a class: its half, whether it is the midterm control, whether marks were given."""

    half: int
    midterm: bool
    graded: bool


@dataclass(frozen=True)
class HalfRating:
    """ТК, РК and Р of one half-semester."""

    current: Decimal
    midterm: Decimal
    rating: Decimal


@dataclass(frozen=True)
class StudentRatings:
    """A student's ratings and attendance over the journal."""

    first: HalfRating
    second: HalfRating
    admission: Decimal
    present: int
    absent: int
    excused: int

    @property
    def attendance_percent(self) -> Decimal | None:
        """Present / classes marked, in whole percent (half up); None before any class is marked."""
        marked = self.present + self.absent + self.excused
        if not marked:
            return None
        return round_half_up(Decimal(100) * self.present / marked, 0)


def half_rating(
    classes: Sequence[ClassInfo], cells: Sequence[Cell], half: int, policy: AcademicPolicy
) -> HalfRating:
    """ТК, РК and Р of one student in ``half`` (``classes`` and ``cells`` in the same order)."""
    rules = policy.journal
    places = policy.rating.percent_places
    marks: list[Decimal] = []
    midterm = Decimal(0)
    for info, cell in zip(classes, cells, strict=True):
        if info.half != half:
            continue
        if info.midterm:
            midterm = cell.mark if cell.mark is not None else Decimal(0)
        elif cell.mark is not None:
            marks.append(cell.mark)
        elif cell.attendance == ABSENT and info.graded and rules.absence_counts_as_zero:
            marks.append(Decimal(0))
    scale = Decimal(100) / rules.mark_max
    current = round_half_up(scale * sum(marks, Decimal(0)) / len(marks), places) if marks else Decimal(0)
    midterm = round_half_up(scale * midterm, places)
    rating = round_half_up(rules.current_weight * current + rules.midterm_weight * midterm, places)
    return HalfRating(current, midterm, rating)


def student_ratings(
    classes: Sequence[ClassInfo], cells: Sequence[Cell], policy: AcademicPolicy
) -> StudentRatings:
    """Р1, Р2, the admission rating (the policy's rating formula) and attendance counts of one student."""
    first = half_rating(classes, cells, 1, policy)
    second = half_rating(classes, cells, 2, policy)
    counts = {PRESENT: 0, ABSENT: 0, EXCUSED: 0}
    for cell in cells:
        if cell.attendance in counts:
            counts[cell.attendance] += 1
    return StudentRatings(
        first,
        second,
        admission_rating(first.rating, second.rating, policy),
        counts[PRESENT],
        counts[ABSENT],
        counts[EXCUSED],
    )


def graded_flags(columns: Iterable[Iterable[Cell]]) -> list[bool]:
    """Per class (column of cells): was any mark given at it."""
    return [any(cell.mark is not None for cell in column) for column in columns]
