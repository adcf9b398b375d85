"""Helpers of the academic tests: students, orders and statements registered for real or in bulk."""

from __future__ import annotations

from typing import Any

import pytest

from records.kinds.student_order import kind_code
from records.models import Document, Person, Role
from records.projections.bulk import document_register_directly
from records.services.document import document_create
from tests.conftest import walk_route
from tests.factories import make_person


def order(order_type: str, person: Person, effective: str, **extra: Any) -> dict[str, Any]:
    """Data of an order on `person`."""
    return {"student_iin": person.iin, "effective_date": effective, "grounds": "Заявление студента", **extra}


def enrollment(person: Person, org: Any, effective: str = "2024-09-01") -> dict[str, Any]:
    return order(
        "enrollment",
        person,
        effective,
        programme_code=org.programme.code,
        group_code=org.group.code,
        year_of_study=1,
        funding="state_grant",
    )


def statement(org: Any, lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """Data of an exam grade statement for the test group."""
    data = {
        "discipline_code": "MAT101",
        "discipline_name": "Математика",
        "credits": 5,
        "group_code": org.group.code,
        "academic_year": 2024,
        "period": 1,
        "exam_date": "2025-01-10",
        "examiner": "Тестов Т.",
        "lines": lines,
    }
    data.update(extra)
    return data


def line(person: Person, r1: Any, r2: Any, exam: Any) -> dict[str, Any]:
    return {"student_iin": person.iin, "rating1": r1, "rating2": r2, "exam": exam}


def _discipline(code: str, cycle: str, component: str, control: str = "exam") -> dict[str, Any]:
    return {
        "code": code,
        "name": code,
        "credits": 5,
        "cycle": cycle,
        "component": component,
        "control_form": control,
    }


def curriculum(semesters: int = 8) -> dict[str, Any]:
    result = []
    for number in range(1, semesters + 1):
        lines = [
            _discipline(
                f"D{number}{i}",
                ("general", "basic", "major")[i % 3],
                ("compulsory", "university", "elective")[i % 3],
            )
            for i in range(6)
        ]
        if number == semesters:
            lines[-1]["control_form"] = "final_attestation"
        result.append({"number": number, "disciplines": lines})
    return {"programme_code": "6B06101", "intake_year": 2024, "semesters": result}


@pytest.fixture
def students(users: dict[str, Any], org: Any) -> list[Person]:
    """Three students of the test group (no orders yet)."""
    people = []
    for _ in range(3):
        person = make_person(kind=Person.Kind.STUDENT)
        person.group = org.group
        person.save()
        people.append(person)
    return people


def bulk(users: dict[str, Any], org: Any, kind: str, data: dict[str, Any]) -> Document:
    """Register directly (no rendering, no signatures): for projection logic."""
    unit = org.department if kind == "grade_statement" else org.faculty
    return document_register_directly(
        by=users[Role.REGISTRAR], kind=kind, org_unit=unit, title=kind, data=data
    )


def bulk_order(users: dict[str, Any], org: Any, order_type: str, data: dict[str, Any]) -> Document:
    return bulk(users, org, kind_code(order_type), data)


def register(users: dict[str, Any], org: Any, kind: str, data: dict[str, Any]) -> Document:
    """Through the real services: create, submit, approve (renders), send for signing, sign the whole route."""
    if kind == "grade_statement":
        creator, approver, unit = Role.TEACHER, Role.HEAD_OF_DEPARTMENT, org.department
    else:
        creator, approver, unit = Role.REGISTRAR, Role.DEAN, org.faculty
    doc = document_create(by=users[creator], kind=kind, org_unit=unit, title=kind, data=data)
    return walk_route(users, doc, approver=approver)


ACADEMIC_KINDS_FOR_FORMS = [
    ("academic_policy", Role.REGISTRAR),
    ("grade_statement", Role.TEACHER),
    ("transcript", Role.REGISTRAR),
    ("working_curriculum", Role.HEAD_OF_DEPARTMENT),
    ("final_attestation_protocol", Role.REGISTRAR),
    ("student_order_enrollment", Role.REGISTRAR),
    ("student_order_academic_leave", Role.DEAN),
    ("student_order_graduation", Role.REGISTRAR),
]
