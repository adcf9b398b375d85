"""A small graduating cohort registered in bulk: policy, a one-year curriculum, enrollment, statements,
admission to final attestation, the protocol and the graduation orders.

Three students of group IS-24-1 (programme with 60 credits): Abai gets A everywhere (honours), Bolat
a C in D11 (refused), Sara an FX then a retake in D12 (refused: retake).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from records.kinds.student_order import kind_code
from records.models import Document, Person, Role
from records.projections.bulk import document_register_directly
from records.services.epvo import epvo_numbers_enter
from tests.factories import make_person

GRADUATION_DATE = "2025-06-30"


@dataclass
class CohortFixture:
    """The students (honours, C grade, retake) and their graduation orders."""

    students: list[Person]
    orders: list[Document]
    group_code: str
    date: str = GRADUATION_DATE


def _discipline(code: str, cycle: str, component: str, control: str = "exam") -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Дисциплина {code}",
        "credits": 15,
        "cycle": cycle,
        "component": component,
        "control_form": control,
    }


def _register(users: dict[str, Any], unit: Any, kind: str, data: dict[str, Any]) -> Document:
    return document_register_directly(
        by=users[Role.REGISTRAR], kind=kind, org_unit=unit, title=kind, data=data
    )


def _line(person: Person, r1: int, r2: int, exam: int) -> dict[str, Any]:
    return {"student_iin": person.iin, "rating1": r1, "rating2": r2, "exam": exam}


def _statement(org: Any, code: str, period: int, lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    data = {
        "discipline_code": code,
        "discipline_name": f"Дисциплина {code}",
        "credits": 15,
        "group_code": org.group.code,
        "academic_year": 2024,
        "period": period,
        "exam_date": "2025-01-10" if period == 1 else "2025-06-05",
        "examiner": "Тестов Т.",
        "lines": lines,
    }
    data.update(extra)
    return data


def build_cohort(
    users: dict[str, Any],
    org: Any,
    *,
    skip_d21_for_last: bool = False,
    skip_protocol_for_last: bool = False,
    register_orders: bool = True,
    epvo: bool = True,
) -> CohortFixture:
    """Register the cohort's history; optionally leave the last student without D21 or without a final
    attestation grade, or the last graduation order unregistered."""
    org.programme.credits_total = 60
    org.programme.save()
    names = [
        ("Абаев", "Абай", "Abayev", "Abai"),
        ("Болатов", "Болат", "Bolatov", "Bolat"),
        ("Сарина", "Сара", "Sarina", "Sara"),
    ]
    students = []
    for last, first, last_en, first_en in names:
        person = make_person(
            kind=Person.Kind.STUDENT,
            last_name_ru=last,
            first_name_ru=first,
            last_name_kk=last,
            first_name_kk=first,
            last_name_en=last_en,
            first_name_en=first_en,
        )
        person.group = org.group
        person.save()
        students.append(person)
    a, b, c = students
    _register(users, org.university, "academic_policy", {"effective_date": "2024-09-01"})
    for person in students:
        _register(
            users,
            org.faculty,
            kind_code("enrollment"),
            {
                "student_iin": person.iin,
                "effective_date": "2024-09-01",
                "programme_code": org.programme.code,
                "group_code": org.group.code,
                "year_of_study": 1,
                "funding": "state_grant",
            },
        )
    if skip_d21_for_last:
        # Admitted before the curriculum was registered, so the admission could not check for debts:
        # how a graduate can still reach the diploma batch without a complete transcript.
        _register(
            users,
            org.faculty,
            kind_code("final_attestation_admission"),
            {"student_iin": c.iin, "effective_date": "2025-05-20"},
        )
    _register(
        users,
        org.department,
        "working_curriculum",
        {
            "programme_code": org.programme.code,
            "intake_year": 2024,
            "semesters": [
                {
                    "number": 1,
                    "disciplines": [
                        _discipline("D11", "general", "compulsory"),
                        _discipline("D12", "basic", "university"),
                    ],
                },
                {
                    "number": 2,
                    "disciplines": [
                        _discipline("D21", "major", "elective"),
                        _discipline("FA", "major", "compulsory", "final_attestation"),
                    ],
                },
            ],
        },
    )
    _register(
        users,
        org.department,
        "grade_statement",
        _statement(org, "D11", 1, [_line(a, 98, 98, 98), _line(b, 66, 66, 66), _line(c, 96, 96, 96)]),
    )
    _register(
        users,
        org.department,
        "grade_statement",
        _statement(org, "D12", 1, [_line(a, 97, 97, 97), _line(b, 96, 96, 96), _line(c, 90, 90, 20)]),
    )
    _register(
        users,
        org.department,
        "grade_statement",
        _statement(org, "D12", 1, [_line(c, 90, 90, 98)], attempt_kind="retake", exam_date="2025-01-24"),
    )
    d21 = [_line(a, 99, 99, 99), _line(b, 95, 95, 95)] + ([] if skip_d21_for_last else [_line(c, 97, 97, 97)])
    _register(users, org.department, "grade_statement", _statement(org, "D21", 2, d21))
    for person in students[:2] if skip_d21_for_last else students:
        _register(
            users,
            org.faculty,
            kind_code("final_attestation_admission"),
            {"student_iin": person.iin, "effective_date": "2025-05-20"},
        )
    _register(
        users,
        org.faculty,
        "final_attestation_protocol",
        {
            "form": "thesis_defence",
            "discipline_code": "FA",
            "discipline_name": "Защита дипломной работы",
            "credits": 15,
            "group_code": org.group.code,
            "academic_year": 2024,
            "period": 2,
            "date": "2025-06-15",
            "chair": "Председатель ГАК",
            "members": ["Член ГАК 1", "Член ГАК 2"],
            "lines": [
                {"student_iin": p.iin, "score": 96, "topic": "Тема"}
                for p in (students[:2] if skip_protocol_for_last else students)
            ],
        },
    )
    orders = []
    for index, person in enumerate(students):
        data = {
            "student_iin": person.iin,
            "effective_date": GRADUATION_DATE,
            "grounds": "Решение ГАК",
            "degree_awarded": "Бакалавр",
        }
        if register_orders or index < 2:
            orders.append(_register(users, org.faculty, kind_code("graduation"), data))
        else:
            from records.services.document import document_create

            orders.append(
                document_create(
                    by=users[Role.REGISTRAR],
                    kind=kind_code("graduation"),
                    org_unit=org.faculty,
                    title="graduation",
                    data=data,
                )
            )
    if epvo:  # the numbers the ЕПВО module gave each registered graduation (records.services.epvo)
        epvo_numbers_enter(
            by=users[Role.REGISTRAR],
            group_code=org.group.code,
            date=GRADUATION_DATE,
            numbers={
                p.pk: f"KZ-{p.iin}" for p, o in zip(students, orders, strict=True) if o.state == "registered"
            },
        )
    return CohortFixture(students=students, orders=orders, group_code=org.group.code)


@pytest.fixture
def cohort(users: dict[str, Any], org: Any) -> CohortFixture:
    """The complete cohort of three graduates."""
    return build_cohort(users, org)
