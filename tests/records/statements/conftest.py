"""Fixtures of the grade statement editor tests: admin access, and students enrolled in the test group."""

from __future__ import annotations

from typing import Any

import pytest

from records.models import Person
from records.models.academic import Student, StudentStatus
from tests.factories import make_person


@pytest.fixture
def enrolled(users: dict[str, Any], org: Any) -> list[Person]:
    """Three students enrolled in the test group, as the Student projection holds them."""
    people = []
    for _ in range(3):
        person = make_person(kind=Person.Kind.STUDENT)
        Student.objects.create(
            person=person, programme=org.programme, group=org.group, status=StudentStatus.ENROLLED
        )
        people.append(person)
    return people
