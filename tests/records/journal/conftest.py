"""A journal of the test group kept by the department's teacher, with students in the group."""

from __future__ import annotations

from typing import Any

import pytest

from records.models import Journal, Person
from records.services.journal import journal_open
from tests.factories import Org, make_person


@pytest.fixture
def pupils(org: Org) -> list[Person]:
    people = []
    for n in range(3):
        person = make_person(kind=Person.Kind.STUDENT, username=f"pupil{n}")
        person.group = org.group
        person.save()
        people.append(person)
    return people


@pytest.fixture
def journal(org: Org, staff: dict[str, Any], pupils: list[Person]) -> Journal:
    return journal_open(
        by=staff["teacher"],
        department=org.department,
        group=org.group,
        discipline_code="ICT1",
        discipline_name="Информатика",
        academic_year=2024,
        period=1,
    )
