"""Demo journals of the term under way, their registered РК1 statements, and past coursework and
practice statements (issue 16). Run after the academic history (records.demo.academic).

For the department of the printed teacher login and the graded department: up to four groups still
studying, two disciplines of their current semester each (from the registered working curriculum),
one journal per discipline kept by one of the department's two teachers. Classes run weekly up to
today (a lecture, a practical, a laboratory class every other week; the practicals of weeks 7 and 15
are the midterm controls); each student attends 85–97 % of them, a quarter of the absences excused,
with marks at practicals and laboratory classes. Everything goes through the journal services (one
audit event per save). Once the first half is over its РК1 statement is registered in bulk
(records.services.document.document_create_registered). For the graded department's groups a
course project statement of the last autumn and a practice statement of the last spring are
registered in bulk too, for the students still in the group. Deterministic for a seed; does
nothing when a journal exists.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from records.demo.academic import GRADED_DEPARTMENT, LAST_YEAR
from records.journal.rating import term_weeks
from records.journal.terms import term_policy
from records.kinds.base import get_kind
from records.models import Document, Journal, OrgUnit, Person, Role, RoleAssignment, StudyGroup
from records.models.academic import Student, StudentStatus
from records.services.document import document_create_registered
from records.services.journal import (
    journal_add_class,
    journal_open,
    journal_save_cells,
    rating_statement_data,
)

GROUPS_PER_DEPARTMENT = 4
DISCIPLINES_PER_GROUP = 2


def _curriculum(group: StudyGroup) -> dict[str, Any] | None:
    found = None
    for document in Document.objects.filter(kind="working_curriculum", state="registered").select_related(
        "current_version"
    ):
        data = document.current_version.data if document.current_version else {}
        if (
            data.get("programme_code") == group.programme.code
            and data.get("intake_year") == group.intake_year
        ):
            found = data
    return found


def _disciplines(group: StudyGroup, year: int, period: int) -> list[dict[str, Any]]:
    curriculum = _curriculum(group)
    if curriculum is None:
        return []
    number = (year - group.intake_year) * 2 + period
    for semester in curriculum["semesters"]:
        if semester["number"] == number:
            return list(semester["disciplines"])
    return []


def _members(group: StudyGroup) -> list[Person]:
    rows = Student.objects.filter(group=group, status=StudentStatus.ENROLLED).select_related("person")
    return [row.person for row in rows]


def _teachers(department: OrgUnit) -> list[Any]:
    rows = RoleAssignment.objects.filter(role=Role.TEACHER, org_unit=department).select_related(
        "person__user"
    )
    return [row.person.user for row in rows.order_by("person__user__username") if row.person.user is not None]


def _groups(department: OrgUnit, year: int, period: int) -> list[StudyGroup]:
    groups = (
        StudyGroup.objects.filter(programme__department=department)
        .select_related("programme")
        .order_by("-intake_year", "code")
    )
    return [g for g in groups if _disciplines(g, year, period) and _members(g)][:GROUPS_PER_DEPARTMENT]


def _fill(journal: Journal, teacher: Any, rng: random.Random, today: dt.date, lab: bool) -> None:
    """Classes up to today and the students' attendance and marks."""
    weeks = term_weeks(
        journal.academic_year, journal.period, term_policy(journal.academic_year, journal.period)
    )
    midterm_weeks = {term_policy(journal.academic_year, journal.period).journal.midterm_week, 15}
    lessons = []
    for week in range(1, 16):
        monday = weeks.start + dt.timedelta(weeks=week - 1)
        plan = [(0, "lecture", 1, False), (2, "practical", 2, week in midterm_weeks)]
        if lab and week % 2 == 0:
            plan.append((4, "laboratory", 2, False))
        for offset, kind, hours, midterm in plan:
            date = monday + dt.timedelta(days=offset)
            if date <= min(today, weeks.end):
                lessons.append(
                    journal_add_class(
                        journal=journal, by=teacher, date=date, kind=kind, hours=hours, midterm=midterm
                    )
                )
    students = list(journal.students.all().order_by("pk"))
    cells: dict[tuple[int, int], str] = {}
    for person in students:
        attends = rng.uniform(0.85, 0.97)
        ability = rng.gauss(76, 11)
        for lesson in lessons:
            if rng.random() > attends:
                cells[(lesson.pk, person.pk)] = "у" if rng.random() < 0.25 else "н"
            elif lesson.kind == "lecture" or (not lesson.midterm and rng.random() < 0.2):
                cells[(lesson.pk, person.pk)] = "+"
            else:
                cells[(lesson.pk, person.pk)] = str(max(0, min(100, round(rng.gauss(ability, 8)))))
    journal_save_cells(journal=journal, by=teacher, lock_version=None, cells=cells)


def _current_term(today: dt.date) -> tuple[int, int]:
    year = today.year if today.month >= 8 else today.year - 1
    return year, 1 if today.month >= 8 or today.month == 1 else 2


def seed_journals(*, seed: int = 2026) -> dict[str, int]:
    """Journals of the current term, registered РК1 statements, past coursework and practice statements."""
    if Journal.objects.exists():
        return {}
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not secrets
    today = timezone.localdate()
    year, period = _current_term(today)
    counts = {"journals": 0, "rating_statement": 0, "coursework_statement": 0, "practice_statement": 0}
    first_teacher = (
        RoleAssignment.objects.filter(role=Role.TEACHER).order_by("person__user__username").first()
    )
    departments = list(
        OrgUnit.objects.filter(
            code__in={GRADED_DEPARTMENT, first_teacher.org_unit.code if first_teacher else GRADED_DEPARTMENT}
        ).order_by("code")
    )
    for department in departments:
        teachers = _teachers(department)
        if not teachers:
            continue
        for g, group in enumerate(_groups(department, year, period)):
            for d, discipline in enumerate(_disciplines(group, year, period)[:DISCIPLINES_PER_GROUP]):
                teacher = teachers[(g + d) % len(teachers)]
                with transaction.atomic():
                    journal = journal_open(
                        by=teacher,
                        department=department,
                        group=group,
                        discipline_code=discipline["code"],
                        discipline_name=discipline["name"],
                        credits=int(discipline["credits"]),
                        academic_year=year,
                        period=period,
                    )
                    _fill(journal, teacher, rng, today, lab=d % 2 == 1)
                    counts["journals"] += 1
                    weeks = term_weeks(year, period, term_policy(year, period))
                    if today > weeks.first_half_end + dt.timedelta(days=3):
                        _register(
                            teacher,
                            department,
                            "rating_statement",
                            rating_statement_data(journal=journal, by=teacher, control=1),
                            weeks.first_half_end + dt.timedelta(days=3),
                        )
                        counts["rating_statement"] += 1
        if department.code == GRADED_DEPARTMENT:
            _past_works(department, teachers[0], rng, counts)
    return counts


def _register(teacher: Any, unit: OrgUnit, kind: str, data: dict[str, Any], on: dt.date) -> None:
    when = timezone.make_aware(dt.datetime.combine(on, dt.time(15, 0)))
    document_create_registered(
        by=teacher,
        kind=kind,
        org_unit=unit,
        title=get_kind(kind).make_title(data),
        data=data,
        registered_at=when,
    )


def _past_works(department: OrgUnit, teacher: Any, rng: random.Random, counts: dict[str, int]) -> None:
    """A course project of the last autumn and a practice of the last spring for each group of the
    department that studied then (the students still in the group)."""
    for group in StudyGroup.objects.filter(
        programme__department=department, intake_year__lte=LAST_YEAR - 1
    ).order_by("code"):
        members = _members(group)
        disciplines = _disciplines(group, LAST_YEAR, 1)
        if not members or not disciplines:
            continue
        discipline = disciplines[-1]
        lines = [
            {
                "student_iin": p.iin,
                "topic": f"Проект по дисциплине «{discipline['name']}»",
                "score": str(rng.randint(55, 100)),
            }
            for p in members
        ]
        data = {
            "discipline_code": discipline["code"],
            "discipline_name": discipline["name"],
            "work_kind": "course_project",
            "credits": 1,
            "group_code": group.code,
            "academic_year": LAST_YEAR,
            "period": 1,
            "date": f"{LAST_YEAR}-12-20",
            "supervisor": teacher.person.full_name(),
            "lines": lines,
        }
        _register(teacher, department, "coursework_statement", data, dt.date(LAST_YEAR, 12, 22))
        counts["coursework_statement"] += 1
        second_year_or_later = LAST_YEAR - group.intake_year >= 1
        places = ["ТОО «Kaspi Lab»", "АО «Казахтелеком»", "ТОО «EPAM Kazakhstan»", "Университетский ИТ-центр"]
        practice = {
            "practice_code": "PP" if second_year_or_later else "UP",
            "practice_name": "Производственная практика" if second_year_or_later else "Учебная практика",
            "practice_kind": "production" if second_year_or_later else "educational",
            "credits": 5 if second_year_or_later else 2,
            "group_code": group.code,
            "academic_year": LAST_YEAR,
            "period": 2,
            "date": f"{LAST_YEAR + 1}-06-25",
            "supervisor": teacher.person.full_name(),
            "lines": [
                {
                    "student_iin": p.iin,
                    "place": rng.choice(places),
                    "place_supervisor": "Руководитель от организации",
                    "score": str(rng.randint(60, 100)),
                }
                for p in members
            ],
        }
        _register(teacher, department, "practice_statement", practice, dt.date(LAST_YEAR + 1, 6, 27))
        counts["practice_statement"] += 1
