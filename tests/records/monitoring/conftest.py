"""A second faculty with a programme (for transfers between faculties) and helpers of the monitoring tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from records.models import OrgUnit, Person, Programme, StudyGroup
from tests.factories import make_person
from tests.records.academic.conftest import bulk_order, enrollment, order


@dataclass
class Law:
    department: OrgUnit
    programme: Programme
    group: StudyGroup


@pytest.fixture
def law(org: Any) -> Law:
    """A department, programme and Russian-language group in the other faculty (fac-law)."""
    department = OrgUnit.objects.create(
        code="dep-law", kind=OrgUnit.Kind.DEPARTMENT, parent=org.other_faculty,
        name_kk="Құқық", name_ru="Право", name_en="Law",
    )  # fmt: skip
    programme = Programme.objects.create(
        code="6B04201", level=Programme.Level.BACHELOR, department=department,
        name_kk="Құқықтану", name_ru="Юриспруденция", name_en="Jurisprudence",
    )  # fmt: skip
    group = StudyGroup.objects.create(code="LAW-24-1", programme=programme, intake_year=2024, language="ru")
    return Law(department, programme, group)


def student(org: Any, **names: Any) -> Person:
    person = make_person(kind=Person.Kind.STUDENT, **names)
    person.group = org.group
    person.save()
    return person


def enroll(
    users: dict[str, Any], org: Any, person: Person, effective: str = "2024-09-01", **extra: Any
) -> None:
    bulk_order(users, org, "enrollment", {**enrollment(person, org, effective), **extra})


def enroll_law(
    users: dict[str, Any], org: Any, law: Law, person: Person, effective: str = "2024-09-01"
) -> None:
    data = order(
        "enrollment", person, effective, programme_code=law.programme.code, group_code=law.group.code,
        year_of_study=1, funding="paid",
    )  # fmt: skip
    bulk_order(users, org, "enrollment", data)
