"""The registered distribution drives who examines: the default examiner of a new statement, and the
statements a teacher sees as due (only what the distribution gives them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from records.models import Person, Role
from records.selectors.statements import current_term, statements_due
from records.services.document import document_create
from tests.conftest import walk_route
from tests.factories import make_person
from tests.records.teaching.conftest import position, setup_load

pytestmark = pytest.mark.django_db


def test_the_distribution_names_the_examiner_and_narrows_what_a_teacher_sees_due(
    staff: dict[str, Any], org: Any
) -> None:
    term = current_term(timezone.localdate())
    calculation = setup_load(staff, org, students=10, year=term.year)
    teacher = Person.objects.get(user=staff[Role.TEACHER])
    colleague = make_person(last_name_ru="Коллегова", last_name_en="Kollegova")
    position(teacher, org.department, year=term.year)
    position(colleague, org.department, rate="1.5", year=term.year)
    lines = calculation.current_version.data["lines"]
    mine = sorted({line["discipline_code"] for line in lines if line["term"] == term.period})[0]
    assignments = [
        {
            "line_key": line["key"],
            "teacher_iin": (teacher if line["discipline_code"] == mine else colleague).iin,
        }
        for line in lines
    ]
    before = {d.code for d in statements_due(user=staff[Role.TEACHER], term=term)}
    assert len(before) > 1  # without a distribution the teacher sees every discipline of the term
    draft = document_create(
        by=staff[Role.HEAD_OF_DEPARTMENT],
        kind="load_distribution",
        org_unit=org.department,
        title="Распределение",
        data={"academic_year": term.year, "department_code": org.department.code, "assignments": assignments},
    )
    walk_route(staff, draft, approver=Role.VICE_RECTOR)
    assert {d.code for d in statements_due(user=staff[Role.TEACHER], term=term)} == {mine}
    assert len({d.code for d in statements_due(user=staff[Role.HEAD_OF_DEPARTMENT], term=term)}) == len(
        before
    )

    client = Client()
    client.force_login(staff[Role.HEAD_OF_DEPARTMENT])
    other = next(code for code in before if code != mine)
    page = client.get(reverse("records_statements:new") + f"?group={org.group.code}&discipline={other}")
    assert page.status_code == 200
    assert page.context["form"].initial["examiner"] == colleague.full_name()
