"""Reads of the electronic journal (records.models.journal).

``classes_held`` is the contract the teaching-load execution reads (classes held per teacher,
discipline, group and kind of class); keep its signature stable. The other reads apply the caller's
scope: a teacher sees the journals they keep, a head of department or dean those of their unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, cast

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from records.academics.policy import AcademicPolicy
from records.errors import NotFoundOrForbidden
from records.journal.cells import format_cell
from records.journal.rating import (
    Cell,
    ClassInfo,
    StudentRatings,
    TermWeeks,
    graded_flags,
    student_ratings,
    term_weeks,
)
from records.journal.registered import registered_ratings
from records.journal.terms import term_policy
from records.models import Journal, JournalClass, JournalMark, OrgUnit, Person, StudyGroup
from records.models.teaching import LoadLineRow, TeachingAssignment
from records.permissions import journals_q, may_keep_journal, person_id

ClassKindName = Literal["lecture", "practical", "laboratory"]


@dataclass(frozen=True)
class HeldClass:
    """Academic hours of classes held by one teacher in one discipline with one group, by kind."""

    teacher_id: int  # records.models.Person pk
    discipline_code: str
    group_id: int  # records.models.StudyGroup pk
    kind: ClassKindName
    hours: Decimal


def classes_held(*, year: int, semester: int, department_id: int | None = None) -> list[HeldClass]:
    """Classes held in the term (``year`` = first calendar year of the academic year, ``semester`` =
    1 autumn, 2 spring, 3 summer), summed from the journals; subgroups of a group add up.

    A class counts as held once its date has come (a class dated in the future is planned, not held).
    ``department_id`` narrows to journals kept by that department. A system read, not scoped to a
    user: the load execution report that uses it is itself a registered document.
    """
    rows = JournalClass.objects.filter(
        journal__academic_year=year, journal__period=semester, date__lte=timezone.localdate()
    )
    if department_id is not None:
        rows = rows.filter(journal__department_id=department_id)
    summed = (
        rows.values("journal__teacher_id", "journal__discipline_code", "journal__group_id", "kind")
        .annotate(total=Sum("hours"))
        .order_by("journal__teacher_id", "journal__discipline_code", "journal__group_id", "kind")
    )
    return [
        HeldClass(
            teacher_id=row["journal__teacher_id"],
            discipline_code=row["journal__discipline_code"],
            group_id=row["journal__group_id"],
            kind=cast(ClassKindName, row["kind"]),
            hours=Decimal(row["total"]),
        )
        for row in summed
    ]


def journals_visible_to(*, user: Any) -> QuerySet[Journal]:
    """The journals `user` may read: their own, and those of the units they head or lead."""
    return (
        Journal.objects.filter(journals_q(user))
        .select_related("group", "teacher", "department")
        .order_by("-academic_year", "-period", "discipline_code", "group__code", "subgroup")
    )


@dataclass(frozen=True)
class JournalToOpen:
    """A class the registered load distribution gives the teacher, whose journal is not opened yet."""

    department: OrgUnit
    group: StudyGroup
    discipline_code: str
    discipline_name: str
    academic_year: int
    period: int


CLASS_KINDS = ("lecture", "practical", "laboratory")


def journals_to_open(*, user: Any, limit: int = 100) -> list[JournalToOpen]:
    """The user's classes (lectures, practicals, laboratories) in the registered load distributions,
    per discipline × group × term, that have no journal of theirs yet: what the teacher opens from
    the journal list. A fixed number of queries whatever the number of assignments."""
    teacher = person_id(user)
    if teacher is None:
        return []
    rows = list(
        TeachingAssignment.objects.filter(teacher_id=teacher, kind__in=CLASS_KINDS)
        .order_by("-academic_year", "term", "discipline_code")
        .values_list("department_code", "academic_year", "term", "discipline_code", "group_codes")
    )
    wanted: dict[tuple[str, int, int, str, str], None] = {}
    for department_code, year, term, discipline, group_codes in rows:
        for group_code in (code.strip() for code in group_codes.split(",")):
            if group_code:
                wanted[(department_code, year, term, discipline, group_code)] = None
    if not wanted:
        return []
    opened = set(
        Journal.objects.filter(teacher_id=teacher, subgroup=0).values_list(
            "academic_year", "period", "discipline_code", "group__code"
        )
    )
    departments = {u.code: u for u in OrgUnit.objects.filter(code__in={key[0] for key in wanted})}
    groups = {g.code: g for g in StudyGroup.objects.filter(code__in={key[4] for key in wanted})}
    names = dict(
        LoadLineRow.objects.filter(discipline_code__in={key[3] for key in wanted})
        .order_by("discipline_code", "academic_year")  # the newest name wins
        .values_list("discipline_code", "discipline_name")
    )
    found: list[JournalToOpen] = []
    for department_code, year, term, discipline, group_code in wanted:
        if (year, term, discipline, group_code) in opened:
            continue
        department, group = departments.get(department_code), groups.get(group_code)
        if department is None or group is None:
            continue
        found.append(
            JournalToOpen(
                department=department,
                group=group,
                discipline_code=discipline,
                discipline_name=names.get(discipline, discipline),
                academic_year=year,
                period=term,
            )
        )
    return found[:limit]


def journal_for(*, user: Any, pk: int) -> Journal:
    """One journal `user` may read, or NotFoundOrForbidden (the two are not told apart)."""
    journal = journals_visible_to(user=user).filter(pk=pk).first()
    if journal is None:
        raise NotFoundOrForbidden("not_found", _("There is no such journal, or you may not see it."))
    return journal


@dataclass(frozen=True)
class GridRow:
    """One student's row: the typed tokens per class and the computed ratings."""

    student: Person
    tokens: list[str]
    ratings: StudentRatings


@dataclass(frozen=True)
class JournalGrid:
    """A journal as the page shows it: classes as columns, students as rows, ratings computed."""

    journal: Journal
    classes: list[JournalClass]
    halves: list[int]
    rows: list[GridRow]
    policy: AcademicPolicy
    weeks: TermWeeks
    editable: bool


def journal_grid(*, journal: Journal, user: Any) -> JournalGrid:
    """Everything the journal page needs, in four queries (students, classes, marks, policy)."""
    policy = term_policy(journal.academic_year, journal.period)
    weeks = term_weeks(journal.academic_year, journal.period, policy)
    students = sorted(journal.students.all(), key=lambda p: (p.last_name_ru, p.first_name_ru, p.pk))
    classes = list(JournalClass.objects.filter(journal=journal).order_by("date", "pk"))
    index = {c.pk: i for i, c in enumerate(classes)}
    cells: dict[int, list[Cell]] = {p.pk: [Cell()] * len(classes) for p in students}
    for class_id, student_id, attendance, mark in JournalMark.objects.filter(
        journal_class__journal=journal
    ).values_list("journal_class_id", "student_id", "attendance", "mark"):
        if student_id in cells:
            cells[student_id][index[class_id]] = Cell(attendance, mark)
    halves = [weeks.half(c.date) for c in classes]
    graded = graded_flags(zip(*cells.values(), strict=True)) if cells else [False] * len(classes)
    infos = [ClassInfo(h, c.midterm, g) for h, c, g in zip(halves, classes, graded, strict=True)]
    rows = [
        GridRow(p, [format_cell(cell) for cell in cells[p.pk]], student_ratings(infos, cells[p.pk], policy))
        for p in students
    ]
    return JournalGrid(journal, classes, halves, rows, policy, weeks, may_keep_journal(user, journal))


def rating_statement_ratings(
    *, discipline_code: str, group_code: str, academic_year: int, period: int
) -> dict[int, dict[str, Decimal]]:
    """{control: {student IIN: rating}} of the registered РК statements of a discipline, group and term
    (what the exam statement's rating columns are filled with)."""
    return registered_ratings(
        discipline_code=discipline_code, group_code=group_code, academic_year=academic_year, period=period
    )
