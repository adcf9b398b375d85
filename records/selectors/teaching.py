"""Reads of the teaching load: the departments a user's scope covers, the registered calculation's
lines, staff positions, the plan (by kind of work and per teacher) and its execution by term.

Execution ("done") is the projection records.projections.teaching_done (its docstring says what
counts as done): the hours done of each assignment, kept by the journal service and the statements'
projections. These reads sum it in SQL; a row whose stored figure does not hold today (a class
dated after the day it was stored has come) is computed from the journal for the request.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, overload

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from records.academics.teaching_load import CLASSROOM_KINDS, WORK_KINDS, annual_limit, hours
from records.errors import NotFoundOrForbidden
from records.models import (
    LoadLineRow,
    OrgUnit,
    Person,
    StaffPosition,
    TeachingAssignment,
)
from records.permissions import TEACHING_LOAD_ROLES, grants, teaching_load_covers
from records.projections import teaching_done
from records.projections.base import in_force
from records.projections.teaching import (
    CALCULATION_KIND,
    DISTRIBUTION_KIND,
    latest_in_force,
    norms_in_force,
    year_start,
)
from records.projections.teaching_done import EVIDENCE_KINDS
from records.selectors.document import documents_visible_to

ZERO = Decimal(0)


def load_departments(user: Any) -> QuerySet[OrgUnit]:
    """The departments the user's teaching-load scope covers, by code."""
    departments = (
        OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).select_related("parent").order_by("code")
    )
    if getattr(user, "is_superuser", False):
        return departments
    paths = sorted({g.path for g in grants(user) if g.role in TEACHING_LOAD_ROLES})
    if any(path.count("/") <= 2 for path in paths):
        return departments
    ids = [d.pk for d in departments if any(d.path.startswith(p) for p in paths)]
    return departments.filter(pk__in=ids)


def load_department(user: Any, code: str) -> OrgUnit:
    """A department the user's scope covers (NotFoundOrForbidden otherwise: the two are not told apart)."""
    department = OrgUnit.objects.filter(code=code, kind=OrgUnit.Kind.DEPARTMENT).first()
    if department is None or not teaching_load_covers(user, department):
        raise NotFoundOrForbidden("not_found", "Not found.")
    return department


def department_by_code(code: str) -> OrgUnit | None:
    """A department by code (the operator's commands read without a user)."""
    return OrgUnit.objects.filter(code=code, kind=OrgUnit.Kind.DEPARTMENT).first()


def load_lines(
    department: OrgUnit, year: int, *, term: int | None = None, kind: str = "", query: str = ""
) -> QuerySet[LoadLineRow]:
    """The lines of the department's registered calculation for `year`, filtered, with their document."""
    lines = LoadLineRow.objects.filter(department_code=department.code, academic_year=year)
    if term:
        lines = lines.filter(term=term)
    if kind:
        lines = lines.filter(kind=kind)
    if query:
        lines = lines.filter(discipline_code__icontains=query) | lines.filter(group_codes__icontains=query)
    return lines.select_related("document").order_by("term", "discipline_code", "kind", "group_codes")


def staff_positions(department: OrgUnit, year: int) -> QuerySet[StaffPosition]:
    """The department's staff positions of `year`, with the person."""
    return (
        StaffPosition.objects.filter(department=department, academic_year=year)
        .select_related("person")
        .order_by("person__last_name_ru", "person__first_name_ru", "kind")
    )


def staff_position_find(department: OrgUnit, year: int, pk: Any) -> StaffPosition | None:
    """A position of the department's year by id (None when it is not one of them)."""
    if not str(pk).isdigit():
        return None
    return staff_positions(department, year).filter(pk=int(pk)).first()


def teachers_of(department: OrgUnit) -> QuerySet[Person]:
    """Staff who may hold a position in the department: its teachers and head (by role)."""
    return (
        Person.objects.filter(kind=Person.Kind.STAFF, roles__org_unit=department)
        .distinct()
        .order_by("last_name_ru", "first_name_ru")
    )


def registered_calculation(department: OrgUnit, year: int) -> Any:
    return latest_in_force(CALCULATION_KIND, department.code, year)


def registered_distribution(department: OrgUnit, year: int) -> Any:
    return latest_in_force(DISTRIBUTION_KIND, department.code, year)


@dataclass
class TeacherLoad:
    """One teacher's planned (and, for a term, done) hours by kind of work."""

    person_id: int
    iin: str
    name: str
    limit: Decimal = ZERO
    planned: dict[str, Decimal] = field(default_factory=dict)
    done: dict[str, Decimal] = field(default_factory=dict)

    @property
    def planned_total(self) -> Decimal:
        return hours(sum(self.planned.values(), ZERO))

    @property
    def done_total(self) -> Decimal:
        return hours(sum(self.done.values(), ZERO))

    @property
    def classroom(self) -> Decimal:
        return hours(sum((v for k, v in self.planned.items() if k in CLASSROOM_KINDS), ZERO))

    def as_json(self) -> dict[str, Any]:
        return {
            "iin": self.iin,
            "name": self.name,
            "limit": str(self.limit),
            "planned": {k: str(v) for k, v in self.planned.items()},
            "planned_total": str(self.planned_total),
            "done": {k: str(v) for k, v in self.done.items()},
            "done_total": str(self.done_total),
        }


@dataclass
class LoadSummary:
    """A department's year (or term): the calculation by kind of work, and per teacher."""

    department_code: str
    department_name: str
    year: int
    term: int | None
    calculation_number: str
    distribution_number: str
    by_kind: dict[str, Decimal]
    teachers: list[TeacherLoad]

    @property
    def total(self) -> Decimal:
        return hours(sum(self.by_kind.values(), ZERO))

    @property
    def assigned(self) -> Decimal:
        return hours(sum((t.planned_total for t in self.teachers), ZERO))

    @property
    def done_by_kind(self) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for teacher in self.teachers:
            for kind, value in teacher.done.items():
                sums[kind] += value
        return {k: hours(sums[k]) for k in WORK_KINDS if k in sums}

    @property
    def done_total(self) -> Decimal:
        return hours(sum((t.done_total for t in self.teachers), ZERO))

    def as_json(self) -> dict[str, Any]:
        return {
            "department": self.department_code,
            "department_name": self.department_name,
            "academic_year": self.year,
            "semester": self.term,
            "calculation": self.calculation_number,
            "distribution": self.distribution_number,
            "by_kind": {k: str(v) for k, v in self.by_kind.items()},
            "total": str(self.total),
            "assigned": str(self.assigned),
            "done_by_kind": {k: str(v) for k, v in self.done_by_kind.items()},
            "done_total": str(self.done_total),
            "teachers": [t.as_json() for t in self.teachers],
        }


def _limits(department: OrgUnit, year: int) -> dict[int, Decimal]:
    norms, _version = norms_in_force(year_start(year))
    limits: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for position in StaffPosition.objects.filter(department=department, academic_year=year):
        limits[position.person_id] += annual_limit(
            kind=position.kind, rate=position.rate, contracted_hours=position.contracted_hours, norms=norms
        )
    return limits


def load_plan(department: OrgUnit, year: int, *, term: int | None = None) -> LoadSummary:
    """The department's planned hours of `year` (or of one term): the registered calculation by kind of
    work and the registered distribution per teacher (two queries and the people)."""
    lines = LoadLineRow.objects.filter(department_code=department.code, academic_year=year)
    assignments = TeachingAssignment.objects.filter(department_code=department.code, academic_year=year)
    if term:
        lines = lines.filter(term=term)
        assignments = assignments.filter(term=term)
    by_kind_rows = dict(lines.values("kind").annotate(h=Sum("hours")).order_by().values_list("kind", "h"))
    by_kind = {k: hours(by_kind_rows[k]) for k in WORK_KINDS if k in by_kind_rows}
    teachers: dict[int, TeacherLoad] = {}
    rows = assignments.values("teacher_id", "kind").annotate(h=Sum("hours")).order_by()
    for row in rows:
        teachers.setdefault(row["teacher_id"], TeacherLoad(row["teacher_id"], "", ""))
        teachers[row["teacher_id"]].planned[row["kind"]] = hours(row["h"])
    limits = _limits(department, year)
    for person in Person.objects.filter(pk__in=set(teachers) | set(limits)):
        load = teachers.setdefault(person.pk, TeacherLoad(person.pk, "", ""))
        load.iin, load.name, load.limit = person.iin, person.full_name(), limits.get(person.pk, ZERO)
    for load in teachers.values():
        load.planned = {k: load.planned[k] for k in WORK_KINDS if k in load.planned}
    calculation = registered_calculation(department, year)
    distribution = registered_distribution(department, year)
    return LoadSummary(
        department_code=department.code,
        department_name=department.name,
        year=year,
        term=term,
        calculation_number=calculation.registry_number if calculation else "",
        distribution_number=distribution.registry_number if distribution else "",
        by_kind=by_kind,
        teachers=sorted(teachers.values(), key=lambda t: t.name),
    )


def term_ended(year: int, term: int, today: dt.date) -> bool:
    """Has the term ended by `today` (autumn on 31 January, spring on 30 June)."""
    end = dt.date(year + 1, 1, 31) if term == 1 else dt.date(year + 1, 6, 30)
    return today > end


def _ended_q(day: dt.date) -> Q:
    """The assignments whose term has ended by `day` (term_ended in SQL)."""
    autumn = day.year - 1 if day > dt.date(day.year, 1, 31) else day.year - 2
    spring = day.year - 1 if day > dt.date(day.year, 6, 30) else day.year - 2
    return Q(term=1, academic_year__lte=autumn) | (~Q(term=1) & Q(academic_year__lte=spring))


def _done_sql(day: dt.date) -> Case:
    """An assignment's hours done on `day`: the stored figure, or for supervision the hours once the
    term has ended (records.projections.teaching_done)."""
    supervision = ~Q(kind__in=sorted(EVIDENCE_KINDS))
    return Case(
        When(supervision & _ended_q(day), then=F("hours")),
        When(supervision, then=Value(ZERO)),
        default=F("done"),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )


def _done_python(kind: str, year: int, term: int, planned: Decimal, stored: Decimal, day: dt.date) -> Decimal:
    if kind in EVIDENCE_KINDS:
        return stored
    return planned if term_ended(year, term, day) else ZERO


def _figures(
    assignments: QuerySet[TeachingAssignment], fields: tuple[str, ...], day: dt.date
) -> dict[tuple[Any, ...], list[Decimal]]:
    """[planned, done] hours of `assignments` per value of `fields`: summed in SQL from the stored
    figures; the few rows whose stored figure does not hold today are computed from the journal."""
    stale = teaching_done.stale_q(timezone.localdate())
    sums: dict[tuple[Any, ...], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    fresh = (
        assignments.exclude(stale)
        .values_list(*fields)
        .annotate(planned=Sum("hours"), done=Sum(_done_sql(day)))
        .order_by()
    )
    for *key, planned, done in fresh:
        sums[tuple(key)] = [planned or ZERO, done or ZERO]
    rows = list(assignments.filter(stale).order_by().values_list(*teaching_done.FIELDS, *fields))
    computed = teaching_done.compute(row[:8] for row in rows)
    for row in rows:
        pk, year, term, _teacher, _discipline, _groups, kind, planned = row[:8]
        figure = sums[tuple(row[8:])]
        figure[0] += planned
        figure[1] += _done_python(kind, year, term, planned, computed[pk][0], day)
    return sums


def load_done(department: OrgUnit, year: int, term: int, *, today: dt.date | None = None) -> LoadSummary:
    """The term's plan per teacher with what was done (records.projections.teaching_done)."""
    summary = load_plan(department, year, term=term)
    by_person = {t.person_id: t for t in summary.teachers}
    assignments = TeachingAssignment.objects.filter(
        department_code=department.code, academic_year=year, term=term
    )
    done: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for (teacher, kind), (_planned, value) in _figures(
        assignments, ("teacher_id", "kind"), today or timezone.localdate()
    ).items():
        done[teacher][kind] = value
    for person_id, kinds in done.items():
        load = by_person.get(person_id)
        if load is not None:
            load.done = {k: hours(kinds[k]) for k in WORK_KINDS if k in kinds}
    return summary


def done_by_department(
    departments: list[OrgUnit], year: int, term: int, *, today: dt.date | None = None
) -> dict[str, tuple[Decimal, Decimal]]:
    """(planned, done) hours of the term per department code, in a fixed number of queries (the
    faculty and university roll-up of the execution)."""
    sums: dict[str, tuple[Decimal, Decimal]] = {d.code: (ZERO, ZERO) for d in departments}
    assignments = TeachingAssignment.objects.filter(
        department_code__in=list(sums), academic_year=year, term=term
    )
    for (code,), (planned, done) in _figures(
        assignments, ("department_code",), today or timezone.localdate()
    ).items():
        sums[code] = (planned, done)
    return {code: (hours(planned), hours(done)) for code, (planned, done) in sums.items()}


def examiner_for(*, discipline_code: str, group_code: str, year: int, term: int) -> Person | None:
    """Who the registered distribution makes the examiner of a discipline for a group in a term: the
    teacher of its exam, else of its lectures (None when it assigns neither)."""
    assignments = TeachingAssignment.objects.filter(
        academic_year=year, term=term, discipline_code=discipline_code, kind__in=["exam", "lecture"]
    ).select_related("teacher")
    chosen: TeachingAssignment | None = None
    for assignment in assignments.order_by("kind", "id"):  # "exam" sorts before "lecture"
        if group_code in [c.strip() for c in assignment.group_codes.split(",")]:
            chosen = assignment
            break
    return chosen.teacher if chosen is not None else None


def assigned_statements(*, person_id: int, year: int, term: int) -> set[tuple[str, str]] | None:
    """(group, discipline) pairs the registered distributions give a teacher to examine in a term,
    or None when no distribution of the year assigns them anything (nothing to narrow by)."""
    rows = TeachingAssignment.objects.filter(teacher_id=person_id, academic_year=year)
    if not rows.exists():
        return None
    pairs: set[tuple[str, str]] = set()
    for discipline, group_codes in rows.filter(
        term=term, kind__in=["exam", "coursework", "practice"]
    ).values_list("discipline_code", "group_codes"):
        for code in group_codes.split(","):
            pairs.add((code.strip(), discipline))
    return pairs


@dataclass(frozen=True)
class DepartmentOverview:
    """A department's year at a glance: its registered calculation and distribution and their hours."""

    department: OrgUnit
    calculation_number: str
    calculation_total: Decimal
    distribution_number: str
    assigned: Decimal
    teachers: int


def load_overview(departments: list[OrgUnit], year: int) -> list[DepartmentOverview]:
    """Every department's figures of `year` in four queries, whatever their number."""
    codes = [d.code for d in departments]
    totals = dict(
        LoadLineRow.objects.filter(department_code__in=codes, academic_year=year)
        .values("department_code")
        .annotate(h=Sum("hours"))
        .order_by()
        .values_list("department_code", "h")
    )
    assigned: dict[str, Decimal] = {}
    teachers: dict[str, int] = {}
    for code, h, n in (
        TeachingAssignment.objects.filter(department_code__in=codes, academic_year=year)
        .values("department_code")
        .annotate(h=Sum("hours"), n=Count("teacher_id", distinct=True))
        .order_by()
        .values_list("department_code", "h", "n")
    ):
        assigned[code], teachers[code] = h, n
    numbers: dict[tuple[str, str], str] = {}
    documents = in_force([CALCULATION_KIND, DISTRIBUTION_KIND]).filter(
        current_version__data__academic_year=year
    )
    for kind, data, number in documents.values_list("kind", "current_version__data", "registry_number"):
        numbers[(kind, str(data.get("department_code")))] = number  # registration order: the latest wins
    return [
        DepartmentOverview(
            department=d,
            calculation_number=numbers.get((CALCULATION_KIND, d.code), ""),
            calculation_total=hours(totals.get(d.code) or ZERO),
            distribution_number=numbers.get((DISTRIBUTION_KIND, d.code), ""),
            assigned=hours(assigned.get(d.code) or ZERO),
            teachers=teachers.get(d.code, 0),
        )
        for d in departments
    ]


def assignments_of_lines(
    department: OrgUnit, year: int, keys: list[str]
) -> dict[str, list[TeachingAssignment]]:
    """The registered assignments of the given lines, with their teacher (one query)."""
    found: dict[str, list[TeachingAssignment]] = defaultdict(list)
    rows = TeachingAssignment.objects.filter(
        department_code=department.code, academic_year=year, line_key__in=keys
    ).select_related("teacher")
    for row in rows.order_by("id"):
        found[row.line_key].append(row)
    return found


def draft_distribution(user: Any, department: OrgUnit, year: int) -> Any:
    """The user-visible draft distribution of the department's year (the newest), if any."""
    return (
        documents_visible_to(user=user)
        .filter(
            kind=DISTRIBUTION_KIND,
            state="draft",
            org_unit=department,
            current_version__data__academic_year=year,
        )
        .select_related("current_version")
        .order_by("-id")
        .first()
    )


def teacher_names(iins: list[str]) -> dict[str, str]:
    """Teachers' names in the active language by IIN (a distribution's data keeps the document
    language's names; pages show the reader's). One query."""
    return {person.iin: person.full_name() for person in Person.objects.filter(iin__in=set(iins))}


@dataclass
class TeacherYear:
    """One teacher's load in one department: the annual limit, the planned (assigned) hours of the
    year and of the chosen term(s), and what was done in the chosen term(s)."""

    department_code: str
    person_id: int
    name: str
    limit: Decimal = ZERO
    planned_year: Decimal = ZERO
    planned: Decimal = ZERO
    done: Decimal = ZERO

    @property
    def over_limit(self) -> bool:
        """More hours assigned in the year than the teacher's positions allow (no position: any)."""
        return self.planned_year > self.limit


def teacher_years(
    codes: list[str], year: int, terms: tuple[int, ...], *, today: dt.date | None = None
) -> list[TeacherYear]:
    """Every teacher's planned and done hours in the departments `codes` (a fixed number of queries,
    whatever the number of departments): the monitoring's per-teacher figures."""
    day = today or timezone.localdate()
    rows: dict[tuple[str, int], TeacherYear] = {}
    assignments = TeachingAssignment.objects.filter(department_code__in=codes, academic_year=year)
    for (code, teacher, term), (planned, done) in _figures(
        assignments, ("department_code", "teacher_id", "term"), day
    ).items():
        row = rows.setdefault((code, teacher), TeacherYear(code, teacher, ""))
        row.planned_year += planned
        if term in terms:
            row.planned += planned
            row.done += done
    norms, _version = norms_in_force(year_start(year))
    positions = StaffPosition.objects.filter(department__code__in=codes, academic_year=year)
    for code, person, kind, rate, contracted in positions.values_list(
        "department__code", "person_id", "kind", "rate", "contracted_hours"
    ):
        row = rows.setdefault((code, person), TeacherYear(code, person, ""))
        row.limit += annual_limit(kind=kind, rate=rate, contracted_hours=contracted, norms=norms)
    names = {p.pk: p.full_name() for p in Person.objects.filter(pk__in={k[1] for k in rows})}
    for (_code, person), row in rows.items():
        row.name = names.get(person, "")
        row.limit, row.planned_year = hours(row.limit), hours(row.planned_year)
        row.planned, row.done = hours(row.planned), hours(row.done)
    return sorted(rows.values(), key=lambda r: (r.department_code, r.name, r.person_id))


@dataclass(frozen=True)
class AssignmentDone:
    """One registered assignment with the hours done of it (a drill-down row)."""

    assignment: TeachingAssignment
    done: Decimal


class AssignmentsDone(Sequence[AssignmentDone]):
    """The assignments behind a figure, each with its hours done, evaluated a slice at a time: a
    page of the drill-down reads its 50 assignments (and the term's evidence once), not the
    university's twenty thousand."""

    def __init__(self, rows: QuerySet[TeachingAssignment], year: int, day: dt.date) -> None:
        self.rows, self.year, self.day = rows, year, day
        self._count: int | None = None

    def _done(self, page: list[TeachingAssignment]) -> list[AssignmentDone]:
        stale = [a for a in page if a.done is None or (a.kind in CLASSROOM_KINDS and _dated_out(a))]
        computed = teaching_done.compute(
            (a.pk, a.academic_year, a.term, a.teacher_id, a.discipline_code, a.group_codes, a.kind, a.hours)
            for a in stale
        )
        return [
            AssignmentDone(
                a,
                hours(
                    _done_python(
                        a.kind, a.academic_year, a.term, a.hours,
                        computed[a.pk][0] if a.pk in computed else (a.done or ZERO), self.day,
                    )
                ),
            )
            for a in page
        ]  # fmt: skip

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.rows.count()
        return self._count

    @overload
    def __getitem__(self, index: int) -> AssignmentDone: ...
    @overload
    def __getitem__(self, index: slice) -> list[AssignmentDone]: ...
    def __getitem__(self, index: int | slice) -> AssignmentDone | list[AssignmentDone]:
        if isinstance(index, slice):
            return self._done(list(self.rows[index]))
        return self._done([self.rows[index]])[0]

    def __iter__(self) -> Iterator[AssignmentDone]:
        return iter(self._done(list(self.rows)))


def _dated_out(assignment: TeachingAssignment) -> bool:
    """A class of the assignment's is dated between the day its figure was stored and today."""
    today = timezone.localdate()
    after, last = assignment.next_class, assignment.counted_until
    return (after is not None and after <= today) or (last is not None and last > today)


def assignments_done(
    codes: list[str], year: int, terms: tuple[int, ...], *, teacher_id: int | None = None,
    today: dt.date | None = None,
) -> AssignmentsDone:  # fmt: skip
    """The registered assignments behind a department's or a teacher's figures, with what was done."""
    rows = TeachingAssignment.objects.filter(department_code__in=codes, academic_year=year, term__in=terms)
    if teacher_id is not None:
        rows = rows.filter(teacher_id=teacher_id)
    ordered = rows.select_related("teacher", "document").order_by(
        "department_code", "term", "discipline_code", "kind", "id"
    )
    return AssignmentsDone(ordered, year, today or timezone.localdate())


def load_years() -> list[int]:
    """Academic years that have a registered load calculation (newest first)."""
    return sorted(set(LoadLineRow.objects.values_list("academic_year", flat=True).distinct()), reverse=True)
