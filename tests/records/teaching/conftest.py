"""Helpers of the teaching-load tests: a registered curriculum with hours, a contingent, positions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from records.models import Document, Person, Role, StaffPosition
from records.projections.bulk import document_register_directly
from tests.factories import make_person

YEAR = 2025  # the test group (intake 2024) is in its second year: curriculum semesters 3 and 4


def discipline(code: str, control: str = "exam", **hours: int) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Дисциплина {code}",
        "credits": 5,
        "cycle": "basic",
        "component": "compulsory",
        "control_form": control,
        "hours": hours or {"lecture": 30, "practical": 15, "lab": 15},
    }


def curriculum_data(programme_code: str, intake_year: int = 2024) -> dict[str, Any]:
    """Eight semesters of six 5-credit disciplines (the policy's shape); semesters 3 and 4 carry the
    disciplines the tests look at: an exam with lectures, practicals and labs, a coursework, a practice."""
    semesters = []
    for number in range(1, 9):
        lines = [
            {
                **discipline(f"D{number}{i}"),
                "cycle": ("general", "basic", "major")[i % 3],
                "component": ("compulsory", "university", "elective")[i % 3],
            }
            for i in range(6)
        ]
        if number == 3:
            lines[1]["control_form"] = "coursework"
            lines[2]["control_form"] = "practice"
            lines[2]["hours"] = {}
        if number == 8:
            lines[-1]["control_form"] = "final_attestation"
            lines[-1]["hours"] = {}
        semesters.append({"number": number, "disciplines": lines})
    return {"programme_code": programme_code, "intake_year": intake_year, "semesters": semesters}


def register(users: dict[str, Any], kind: str, unit: Any, data: dict[str, Any]) -> Document:
    return document_register_directly(by=users[Role.REGISTRAR], kind=kind, org_unit=unit, title="", data=data)


def enrol(group: Any, count: int) -> list[Person]:
    """`count` students assigned to `group` (not yet projected: the contingent counts them)."""
    people = []
    for _ in range(count):
        person = make_person(kind=Person.Kind.STUDENT)
        person.group = group
        person.save(update_fields=["group"])
        people.append(person)
    return people


def position(
    person: Person,
    department: Any,
    rate: str = "1",
    kind: str = "staff",
    hours: str | None = None,
    year: int = YEAR,
) -> StaffPosition:
    return StaffPosition.objects.create(
        person=person,
        department=department,
        academic_year=year,
        kind=kind,
        rate=Decimal(rate),
        contracted_hours=Decimal(hours) if hours else None,
    )


def setup_load(users: dict[str, Any], org: Any, students: int = 20, year: int = YEAR) -> Document:
    """The test programme's curriculum registered, `students` in the test group, and the department's
    load calculation for YEAR registered (in bulk)."""
    register(users, "working_curriculum", org.department, curriculum_data(org.programme.code))
    enrol(org.group, students)
    return register(
        users,
        "load_calculation",
        org.department,
        {"academic_year": year, "department_code": org.department.code},
    )
