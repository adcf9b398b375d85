"""Reads of the teaching load: the departments a user's scope covers, the registered calculation's
lines, staff positions, the plan (by kind of work and per teacher) and its execution by term.

Execution ("done") of a term, per assignment of the registered distribution:
- lectures, practicals and laboratory classes: the hours the journal shows held by the assigned
  teacher for the discipline and one of the line's groups (records.selectors.journal.classes_held),
  at most the assigned hours;
- consultation, exam and midterm control: done when a registered, never revoked grade statement of
  the discipline, group and term exists;
- coursework and practice: done when a registered statement of the discipline, group and term
  exists (any kind whose data names them: the journal's coursework and practice statements too);
- thesis supervision and review, commissions: done when a registered final attestation protocol of
  the group in the academic year exists;
- master's and doctoral supervision: done once the term has ended (31 January, 30 June), while the
  order on the student stands — an assumption: no document records supervision hours.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, overload

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from records.academics.teaching_load import CLASSROOM_KINDS, WORK_KINDS, annual_limit, hours
from records.errors import NotFoundOrForbidden
from records.models import (
    JournalClass,
    LoadLineRow,
    OrgUnit,
    Person,
    StaffPosition,
    StudyGroup,
    TeachingAssignment,
)
from records.models.monitoring import TermResultCell
from records.permissions import TEACHING_LOAD_ROLES, grants, teaching_load_covers
from records.projections.base import as_of_date, in_force, replay_context
from records.projections.teaching import (
    CALCULATION_KIND,
    DISTRIBUTION_KIND,
    latest_in_force,
    norms_in_force,
    year_start,
)
from records.selectors.audit import audit_chain_head
from records.selectors.document import documents_visible_to
from records.selectors.frozen import frozen_values
from records.selectors.journal import classes_held

FINAL_ATTESTATION_KIND = "final_attestation_protocol"
STATEMENT_KINDS_DONE = frozenset({"consultation", "exam", "midterm", "coursework", "practice"})
PROTOCOL_KINDS_DONE = frozenset({"thesis_supervision", "thesis_review", "commission"})
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


def _statements_registered(year: int, term: int) -> set[tuple[str, str]]:
    """(discipline, group) pairs with a registered statement in the term (any kind naming them): the
    per-term results of the exam, coursework and practice statements (a projection of exactly the
    registered, never revoked ones), the final attestation protocols and the rating statements
    (their keys cached by hash, records.selectors.frozen)."""
    from records.selectors.monitoring import rating_extracts  # the rating indicators' own reading

    # The per-term results hold every statement's (group, discipline) but final attestation's.
    pairs = set(
        TermResultCell.objects.filter(term_year=year, term_period=term)
        .order_by()
        .values_list("discipline_code", "group_code")
        .distinct()
    )
    attestation = in_force([FINAL_ATTESTATION_KIND])
    for _pk, (y, p, discipline, group) in frozen_values(attestation, "attestation_keys", _attestation_keys):
        if (y, p) == (year, term):
            pairs.add((discipline, group))
    pairs |= {(e[2], e[4]) for _document, e in rating_extracts() if (e[0], e[1]) == (year, term)}
    return {(str(d), str(g)) for d, g in pairs if d and g}


def _attestation_keys(data: dict[str, Any]) -> tuple[int, int, str, str]:
    return (int(data.get("academic_year") or 0), int(data.get("period") or 0), str(data.get("discipline_code", "")),
            str(data.get("group_code", "")))  # fmt: skip


def _protocols_registered(year: int) -> set[str]:
    """Groups with a registered final attestation protocol in the academic year."""
    documents = in_force(["final_attestation_protocol"]).filter(current_version__data__academic_year=year)
    groups = documents.annotate(group=KeyTextTransform("group_code", "current_version__data"))
    return {str(g) for g in groups.values_list("group", flat=True)}


class _Evidence:
    """What a term's execution is read from, loaded once: classes held, statements, protocols."""

    def __init__(self, year: int, term: int, today: dt.date) -> None:
        groups = dict(StudyGroup.objects.values_list("pk", "code"))
        held: dict[tuple[int, str, str, str], Decimal] = defaultdict(lambda: ZERO)
        for row in classes_held(year=year, semester=term):
            held[(row.teacher_id, row.discipline_code, groups.get(row.group_id, ""), row.kind)] += row.hours
        self.held = dict(held)  # read only from here on (kept across requests: see _evidence)
        self.statements = _statements_registered(year, term)
        self.protocols = _protocols_registered(year)
        self.ended = term_ended(year, term, today)

    def done(self, teacher: int, discipline: str, group_codes: str, kind: str, planned: Decimal) -> Decimal:
        """The hours of an assignment done (see the module docstring)."""
        codes = [c.strip() for c in group_codes.split(",") if c.strip()]
        if kind in CLASSROOM_KINDS:
            return min(
                planned,
                max((self.held.get((teacher, discipline, c, kind), ZERO) for c in codes), default=ZERO),
            )
        if kind in STATEMENT_KINDS_DONE:
            return planned if any((discipline, c) in self.statements for c in codes) else ZERO
        if kind in PROTOCOL_KINDS_DONE:
            return planned if any(c in self.protocols for c in codes) else ZERO
        return planned if self.ended else ZERO


# The evidence of a term is the same for every viewer and costs a university's whole journal and its
# statements to read (about 0.2 s each term at 20,000 students), so each process keeps the last few.
# The key holds everything that changes it: the day (classes dated up to today count, a term ends),
# the audit chain head (every registered or revoked document and every class added or removed through
# the journal service appends an audited event) and the journal's class count and newest id (classes
# written around the service). A rewound registry (reports as of a date) or a replay never uses it.
EVIDENCE_KEPT = 8
_EVIDENCE: OrderedDict[tuple[Any, ...], _Evidence] = OrderedDict()
_EVIDENCE_LOCK = threading.Lock()


def _evidence(year: int, term: int, day: dt.date) -> _Evidence:
    if as_of_date() is not None or replay_context() is not None:
        return _Evidence(year, term, day)
    journal = JournalClass.objects.aggregate(count=Count("id"), last=Max("id"))
    key = (year, term, day, audit_chain_head(), journal["count"], journal["last"])
    with _EVIDENCE_LOCK:
        kept = _EVIDENCE.get(key)
        if kept is not None:
            _EVIDENCE.move_to_end(key)
            return kept
    evidence = _Evidence(year, term, day)
    with _EVIDENCE_LOCK:
        _EVIDENCE[key] = evidence
        while len(_EVIDENCE) > EVIDENCE_KEPT:
            _EVIDENCE.popitem(last=False)
    return evidence


def clear_evidence() -> None:
    """Forget the kept evidence (tests: ids and chain heads come again in the next test's database)."""
    with _EVIDENCE_LOCK:
        _EVIDENCE.clear()


def load_done(department: OrgUnit, year: int, term: int, *, today: dt.date | None = None) -> LoadSummary:
    """The term's plan per teacher with what was done (see the module docstring for the sources)."""
    summary = load_plan(department, year, term=term)
    by_person = {t.person_id: t for t in summary.teachers}
    evidence = _evidence(year, term, today or timezone.localdate())
    done: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    assignments = TeachingAssignment.objects.filter(
        department_code=department.code, academic_year=year, term=term
    ).order_by()
    for teacher, discipline, group_codes, kind, planned in assignments.values_list(
        "teacher_id", "discipline_code", "group_codes", "kind", "hours"
    ):
        done[teacher][kind] += evidence.done(teacher, discipline, group_codes, kind, planned)
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
    evidence = _evidence(year, term, today or timezone.localdate())
    sums: dict[str, list[Decimal]] = {d.code: [ZERO, ZERO] for d in departments}
    assignments = TeachingAssignment.objects.filter(
        department_code__in=list(sums), academic_year=year, term=term
    ).order_by()
    for code, teacher, discipline, group_codes, kind, planned in assignments.values_list(
        "department_code", "teacher_id", "discipline_code", "group_codes", "kind", "hours"
    ):
        sums[code][0] += planned
        sums[code][1] += evidence.done(teacher, discipline, group_codes, kind, planned)
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
    assignments = TeachingAssignment.objects.filter(department_code__in=codes, academic_year=year).order_by()
    evidence = {term: _evidence(year, term, day) for term in terms} if assignments.exists() else {}
    for code, teacher, term, discipline, group_codes, kind, planned in assignments.values_list(
        "department_code", "teacher_id", "term", "discipline_code", "group_codes", "kind", "hours"
    ):
        row = rows.setdefault((code, teacher), TeacherYear(code, teacher, ""))
        row.planned_year += planned
        if term in evidence:
            row.planned += planned
            row.done += evidence[term].done(teacher, discipline, group_codes, kind, planned)
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
        self._evidence: dict[int, _Evidence] = {}
        self._count: int | None = None

    def _done(self, a: TeachingAssignment) -> AssignmentDone:
        if a.term not in self._evidence:
            self._evidence[a.term] = _evidence(self.year, a.term, self.day)
        evidence = self._evidence[a.term]
        return AssignmentDone(
            a, hours(evidence.done(a.teacher_id, a.discipline_code, a.group_codes, a.kind, a.hours))
        )

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
            return [self._done(a) for a in self.rows[index]]
        return self._done(self.rows[index])

    def __iter__(self) -> Iterator[AssignmentDone]:
        return iter([self._done(a) for a in self.rows])


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
