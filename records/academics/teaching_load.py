"""The teaching load of a department: norms per kind of work and the formula, as pure functions.

There are no national norms (domain.md §2.9): the norms are the university's own registered policy
(the "load norms" kind), whose schema is ``LoadNorms``. Its defaults are stated next to each field;
the only sourced one is 0.25 h per student for a midterm control, and the 680-hour annual maximum
of one staff rate (МОН, 2021). Everything else is a per-university value.

The formula, per discipline of a working curriculum taught in a term, for the groups of the
programme and intake year that study it:
- lecture: per stream — the programme's groups of one language packed (in code order) into streams
  of at most ``stream_max`` students; curriculum lecture hours × ``lecture_per_hour``;
- practical: per practical group — a group splits into ceil(students / ``group_max``);
  curriculum practical hours × groups × ``practical_per_hour``;
- laboratory: per subgroup — ceil(students / ``subgroup_max``); lab hours × subgroups × norm;
- an examined discipline: a pre-exam consultation per group, the exam per student, the midterm
  controls (``midterms`` of them) per student;
- coursework: per work (one per student) and the midterms; practice: per student-week, where the
  weeks are credits × 30 h / ``practice_week_hours``;
- final attestation: thesis supervision, thesis review and the commission (ГАК/ИАК), per student;
- master's and doctoral groups: research supervision per student per year (autumn term).
Every line records what it was computed from (curriculum line, contingent count, norm item and value).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

WorkKind = Literal[
    "lecture",
    "practical",
    "laboratory",
    "consultation",
    "exam",
    "midterm",
    "coursework",
    "practice",
    "thesis_supervision",
    "thesis_review",
    "commission",
    "master_supervision",
    "doctoral_supervision",
]
WORK_KINDS: tuple[str, ...] = WorkKind.__args__  # type: ignore[attr-defined]
CLASSROOM_KINDS = frozenset({"lecture", "practical", "laboratory"})
CENT = Decimal("0.01")


def hours(value: Decimal | int) -> Decimal:
    """Hours to two decimals, half up (what every figure of the load is stored with)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class LoadNorms(BaseModel):
    """The university's norms of teaching load (hours per unit of each kind of work) and size rules."""

    model_config = ConfigDict(extra="forbid")

    lecture_per_hour: Decimal = Field(default=Decimal(1), ge=0, le=10, description="per stream, per hour")
    practical_per_hour: Decimal = Field(default=Decimal(1), ge=0, le=10, description="per group, per hour")
    laboratory_per_hour: Decimal = Field(
        default=Decimal(1), ge=0, le=10, description="per subgroup, per hour"
    )
    consultation_per_group: Decimal = Field(
        default=Decimal(2), ge=0, le=50, description="per exam, per group"
    )
    exam_per_student: Decimal = Field(default=Decimal("0.33"), ge=0, le=10)
    midterm_per_student: Decimal = Field(default=Decimal("0.25"), ge=0, le=10)
    midterms: int = Field(default=2, ge=0, le=4, description="midterm controls per discipline")
    coursework_per_work: Decimal = Field(default=Decimal(3), ge=0, le=50)
    practice_per_student_week: Decimal = Field(default=Decimal("0.5"), ge=0, le=20)
    practice_week_hours: int = Field(default=45, ge=1, le=60, description="student hours in a practice week")
    thesis_supervision_per_student: Decimal = Field(default=Decimal(15), ge=0, le=100)
    thesis_review_per_student: Decimal = Field(default=Decimal(2), ge=0, le=50)
    commission_per_student: Decimal = Field(default=Decimal("0.5"), ge=0, le=20, description="ГАК/ИАК")
    master_supervision_per_student: Decimal = Field(default=Decimal(30), ge=0, le=200)
    doctoral_supervision_per_student: Decimal = Field(default=Decimal(50), ge=0, le=300)
    stream_max: int = Field(default=100, ge=1, le=500, description="students in a lecture stream")
    group_max: int = Field(default=25, ge=1, le=100, description="students in a practical group")
    subgroup_max: int = Field(default=13, ge=1, le=50, description="students in a laboratory subgroup")
    annual_max_per_rate: Decimal = Field(default=Decimal(680), ge=1, le=2000)
    classroom_share: Decimal = Field(
        default=Decimal("0.5"), ge=0, le=1, description="minimum classroom share"
    )


DEFAULT_NORMS = LoadNorms()
# Which norm each kind of work is computed with (the line records its name and value).
NORM_ITEM: dict[str, str] = {
    "lecture": "lecture_per_hour",
    "practical": "practical_per_hour",
    "laboratory": "laboratory_per_hour",
    "consultation": "consultation_per_group",
    "exam": "exam_per_student",
    "midterm": "midterm_per_student",
    "coursework": "coursework_per_work",
    "practice": "practice_per_student_week",
    "thesis_supervision": "thesis_supervision_per_student",
    "thesis_review": "thesis_review_per_student",
    "commission": "commission_per_student",
    "master_supervision": "master_supervision_per_student",
    "doctoral_supervision": "doctoral_supervision_per_student",
}


@dataclass(frozen=True)
class GroupCount:
    """A study group as the contingent counts it."""

    code: str
    students: int
    language: str


@dataclass(frozen=True)
class DisciplineInput:
    """One discipline of a registered working curriculum, taught in a term of the academic year."""

    code: str
    name: str
    credits: int
    control_form: str
    hours: dict[str, int]
    term: int  # 1 autumn, 2 spring
    curriculum_semester: int
    curriculum_id: int
    curriculum_number: str


@dataclass(frozen=True)
class LoadLine:
    """One line of a load calculation and every input it was computed from."""

    term: int
    discipline_code: str
    discipline_name: str
    kind: str
    group_codes: tuple[str, ...]
    students: int
    units: int  # streams, practical groups, subgroups, groups or works the norm multiplies
    base: Decimal  # curriculum hours, students or student-weeks the norm applies to
    norm_item: str
    norm_value: Decimal
    hours: Decimal
    curriculum_id: int | None
    curriculum_number: str
    curriculum_semester: int | None

    @property
    def key(self) -> str:
        """The line's stable name within a department's year (what a distribution assigns)."""
        return f"{self.term}:{self.discipline_code}:{self.kind}:{'+'.join(self.group_codes)}"


@dataclass
class Cohort:
    """The groups of one programme and intake year (and its level) and the disciplines they study."""

    programme_code: str
    level: str
    groups: list[GroupCount]
    disciplines: list[DisciplineInput] = field(default_factory=list)


def split(students: int, size: int) -> int:
    """How many groups of at most `size` `students` make (0 students: none)."""
    return math.ceil(students / size) if students > 0 else 0


def streams(groups: Iterable[GroupCount], stream_max: int) -> list[list[GroupCount]]:
    """Groups of one language packed in code order into lecture streams of at most `stream_max`."""
    by_language: dict[str, list[GroupCount]] = {}
    for group in sorted(groups, key=lambda g: g.code):
        if group.students > 0:
            by_language.setdefault(group.language, []).append(group)
    result: list[list[GroupCount]] = []
    for language in sorted(by_language):
        current: list[GroupCount] = []
        for group in by_language[language]:
            if current and sum(g.students for g in current) + group.students > stream_max:
                result.append(current)
                current = []
            current.append(group)
        if current:
            result.append(current)
    return result


def _line(
    discipline: DisciplineInput | None,
    kind: str,
    groups: list[GroupCount],
    *,
    units: int,
    base: Decimal | int,
    norms: LoadNorms,
    term: int = 1,
) -> LoadLine:
    item = NORM_ITEM[kind]
    value = Decimal(getattr(norms, item))
    return LoadLine(
        term=discipline.term if discipline else term,
        discipline_code=discipline.code if discipline else "",
        discipline_name=discipline.name if discipline else "",
        kind=kind,
        group_codes=tuple(g.code for g in groups),
        students=sum(g.students for g in groups),
        units=units,
        base=Decimal(base),
        norm_item=item,
        norm_value=value,
        hours=hours(Decimal(base) * value),
        curriculum_id=discipline.curriculum_id if discipline else None,
        curriculum_number=discipline.curriculum_number if discipline else "",
        curriculum_semester=discipline.curriculum_semester if discipline else None,
    )


def discipline_lines(
    discipline: DisciplineInput, groups: list[GroupCount], norms: LoadNorms
) -> list[LoadLine]:
    """The load lines of one discipline for the groups that study it."""
    lines: list[LoadLine] = []
    lecture = discipline.hours.get("lecture", 0)
    if lecture:
        for stream in streams(groups, norms.stream_max):
            lines.append(_line(discipline, "lecture", stream, units=1, base=lecture, norms=norms))
    for group in sorted(groups, key=lambda g: g.code):
        n = group.students
        if n <= 0:
            continue
        for kind, hours_key, size in (
            ("practical", "practical", norms.group_max),
            ("laboratory", "lab", norms.subgroup_max),
        ):
            taught = discipline.hours.get(hours_key, 0)
            if taught:
                units = split(n, size)
                lines.append(_line(discipline, kind, [group], units=units, base=taught * units, norms=norms))
        form = discipline.control_form
        if form in ("exam", "coursework") and norms.midterms:
            midterms = n * norms.midterms
            lines.append(
                _line(discipline, "midterm", [group], units=norms.midterms, base=midterms, norms=norms)
            )
        if form == "exam":
            lines.append(_line(discipline, "consultation", [group], units=1, base=1, norms=norms))
            lines.append(_line(discipline, "exam", [group], units=n, base=n, norms=norms))
        elif form == "coursework":
            lines.append(_line(discipline, "coursework", [group], units=n, base=n, norms=norms))
        elif form == "practice":
            weeks = Decimal(discipline.credits * 30) / Decimal(norms.practice_week_hours)
            lines.append(_line(discipline, "practice", [group], units=n, base=hours(weeks * n), norms=norms))
        elif form == "final_attestation":
            for kind in ("thesis_supervision", "thesis_review", "commission"):
                lines.append(_line(discipline, kind, [group], units=n, base=n, norms=norms))
    return lines


def cohort_lines(cohort: Cohort, norms: LoadNorms, *, supervision: bool = True) -> list[LoadLine]:
    """The lines of a cohort's disciplines and, with `supervision` (the programme's own department),
    the yearly research supervision of master's and doctoral groups."""
    lines: list[LoadLine] = []
    for discipline in cohort.disciplines:
        lines.extend(discipline_lines(discipline, cohort.groups, norms))
    kind = {"master": "master_supervision", "doctor": "doctoral_supervision"}.get(cohort.level)
    if kind is not None and supervision:
        for group in sorted(cohort.groups, key=lambda g: g.code):
            if group.students > 0:
                lines.append(
                    _line(None, kind, [group], units=group.students, base=group.students, norms=norms)
                )
    return lines


def totals_by_kind(lines: Iterable[LoadLine]) -> dict[str, Decimal]:
    """Hours by kind of work, in the order of WORK_KINDS (kinds without hours left out)."""
    sums: dict[str, Decimal] = {}
    for line in lines:
        sums[line.kind] = sums.get(line.kind, Decimal(0)) + line.hours
    return {kind: hours(sums[kind]) for kind in WORK_KINDS if kind in sums}


def annual_limit(*, kind: str, rate: Decimal, contracted_hours: Decimal | None, norms: LoadNorms) -> Decimal:
    """The most hours a staff position may carry in a year: the contracted hours of an hourly
    teacher, else the annual maximum of one rate × the position's rate."""
    if kind == "hourly":
        return hours(contracted_hours or 0)
    return hours(norms.annual_max_per_rate * rate)
