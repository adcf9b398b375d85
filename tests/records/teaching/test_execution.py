"""Execution of the load in a term: classes held from the journal, exams and midterms from registered
grade statements; the semester execution report and the teacher's individual plan, registered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from records.kinds.student_order import kind_code
from records.lifecycle import State
from records.models import Journal, JournalClass, Person, Role
from records.projections import teaching_done
from records.selectors.teaching import done_by_department, load_done
from records.services.teaching import execution_report_create, teacher_plan_create
from tests.conftest import walk_route
from tests.records.academic.conftest import bulk, enrollment, line, statement
from tests.records.teaching.conftest import YEAR, enrol, setup_load
from tests.records.teaching.test_load import _full_distribution, _lines

pytestmark = pytest.mark.django_db


def _held(org: Any, teacher: Person, code: str, kind: str, classes: int) -> None:
    journal = Journal.objects.create(
        department=org.department,
        org_path=org.department.path,
        teacher=teacher,
        group=org.group,
        discipline_code=code,
        discipline_name=code,
        academic_year=YEAR,
        period=1,
    )
    for n in range(classes):
        JournalClass.objects.create(journal=journal, date=dt.date(YEAR, 9, 1 + n), kind=kind, hours=2)
    # Written around the journal service (these tests need no teacher's login): tell the load's
    # hours done, as the service does (records.services.journal).
    teaching_done.classes_changed(year=YEAR, term=1, teacher_id=teacher.pk, discipline_code=code, kind=kind)


def test_done_comes_from_the_journal_and_the_registered_statements(users: Any, org: Any) -> None:
    calculation = setup_load(users, org, students=20)
    _distribution, first, second = _full_distribution(users, org, calculation)
    lines = _lines(calculation)
    _held(org, first, "D30", "lecture", 5)  # 10 of the 30 lecture hours
    _held(org, second, "D30", "practical", 20)  # 40 hours held: at most the 30 assigned count
    _held(org, first, "D31", "practical", 3)  # not theirs: the practicals of D31 are the second's
    student = enrol(org.group, 1)[0]
    bulk(users, org, kind_code("enrollment"), enrollment(student, org))
    bulk(
        users,
        org,
        "grade_statement",
        statement(org, [line(student, 80, 80, 80)], discipline_code="D30", academic_year=YEAR, period=1),
    )
    summary = load_done(org.department, YEAR, 1, today=dt.date(YEAR, 12, 1))
    done = {t.person_id: t.done for t in summary.teachers}
    group = org.group.code
    assert done[first.pk]["lecture"] == Decimal(10)
    assert done[first.pk]["exam"] == Decimal(lines[f"1:D30:exam:{group}"]["hours"])  # D31's exam: none yet
    assert done[second.pk]["practical"] == Decimal(lines[f"1:D30:practical:{group}"]["hours"])
    assert done[second.pk]["midterm"] == Decimal(lines[f"1:D30:midterm:{group}"]["hours"])
    assert done[second.pk]["consultation"] == Decimal(2)
    assert "coursework" not in done[second.pk] or done[second.pk]["coursework"] == 0
    rollup = done_by_department([org.department], YEAR, 1, today=dt.date(YEAR, 12, 1))
    assert rollup[org.department.code] == (summary.assigned, summary.done_total)

    report = execution_report_create(
        by=users[Role.HEAD_OF_DEPARTMENT], department=org.department, academic_year=YEAR, semester=1
    )
    rows = {(r["teacher_iin"], r["kind"]): r for r in report.current_version.data["rows"]}
    assert Decimal(rows[(first.iin, "lecture")]["done"]) >= Decimal(10)
    assert walk_route(users, report, approver=Role.DEAN).state == State.REGISTERED


def test_the_individual_plan_takes_the_distribution_and_the_actuals_and_is_approved_by_the_head(
    users: Any, org: Any
) -> None:
    calculation = setup_load(users, org, students=20)
    teacher = Person.objects.get(user=users[Role.TEACHER])
    _distribution, first, _second = _full_distribution(users, org, calculation, first=teacher)
    _held(org, first, "D30", "lecture", 4)
    plan = teacher_plan_create(
        by=users[Role.TEACHER],
        department=org.department,
        teacher=first,
        academic_year=YEAR,
        other_work=[{"section": "research", "title": "Статья", "term": 1, "planned": "60"}],
    )
    data = plan.current_version.data
    rows = {(r["term"], r["kind"]): r for r in data["rows"]}
    planned = sum(
        Decimal(x["hours"]) for x in _lines(calculation).values() if x["kind"] in ("lecture", "exam")
    )
    assert sum(Decimal(r["planned"]) for r in data["rows"]) == planned
    assert rows[(1, "lecture")]["classroom"] is True and Decimal(rows[(1, "lecture")]["actual"]) >= Decimal(8)
    assert Decimal(data["planned_total"]) == planned + 60
    assert walk_route(users, plan, approver=Role.HEAD_OF_DEPARTMENT).state == State.REGISTERED
