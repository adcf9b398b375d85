"""The load calculation counts the students of its academic year as they were then (1 September of
the year), not by their status today: a cohort expelled or graduated since still carries its load."""

from __future__ import annotations

from typing import Any

import pytest

from records.models import Person
from records.projections.teaching import contingent, department_cohorts, year_start
from tests.records.academic.conftest import bulk_order, order
from tests.records.monitoring.conftest import enroll, student
from tests.records.teaching.conftest import YEAR, curriculum_data, register

pytestmark = pytest.mark.django_db


def test_a_past_years_load_counts_the_students_of_that_year(users: dict[str, Any], org: Any) -> None:
    register(users, "working_curriculum", org.department, curriculum_data(org.programme.code))
    others = contingent([org.group]).get(
        org.group.pk, 0
    )  # the fixture's own students, never enrolled by order
    studied = [student(org) for _ in range(3)]
    for person in studied:
        enroll(users, org, person, "2024-09-01")
    late = student(org)
    enroll(users, org, late, f"{YEAR}-10-01")  # came after the year's start: not in its contingent
    for person in studied[:2]:  # expelled after the year began, well before today
        bulk_order(
            users,
            org,
            "expulsion",
            order("expulsion", person, f"{YEAR + 1}-01-15", grounds="Собственное желание"),
        )
    assert Person.objects.filter(student_record__status="enrolled", group=org.group).count() == 2  # today

    assert contingent([org.group], on=year_start(YEAR)) == {org.group.pk: others + 3}
    assert contingent([org.group]) == {org.group.pk: others + 2}  # today's status, for a year still to come
    [cohort] = [c for c in department_cohorts(YEAR)[org.department.code] if c.supervision]
    assert [(g.code, g.students) for g in cohort.cohort.groups] == [(org.group.code, others + 3)]
    calculation = register(
        users,
        "load_calculation",
        org.department,
        {"academic_year": YEAR, "department_code": org.department.code},
    )
    students = {
        line["students"] for line in calculation.current_version.data["lines"] if line["kind"] == "lecture"
    }
    assert students == {others + 3}
