"""A small registry for the scholarship tests, registered in bulk through the real projections.

Group IS-24-1 (intake 2024) sat the spring session of 2024/25 (semester 2 of its curriculum: D21..D26);
group IS-25-1 (intake 2025) has just enrolled. Paying 2025/26 semester 1 therefore decides:

- excellent: state grant, all A            → increased rate
- good:      state grant, A and B          → base rate
- c_grade:   state grant, one C            → excluded, grade below "good"
- failed:    state grant, one FX           → excluded, failed
- paid:      paid funding, all A           → excluded, not state funded
- medical:   state grant, base in 2024/25-2, then medical leave (illness) → continues at base
- leave:     state grant, leave for military service → excluded, on academic leave
- freshman:  IS-25-1, state grant, first semester → base rate
"""

from __future__ import annotations

from typing import Any

import pytest

from records.kinds.student_order import kind_code
from records.models import Document, Person, Role, StudyGroup
from records.projections.bulk import document_register_directly
from tests.factories import make_person
from tests.records.academic.conftest import curriculum, line, order, statement

SESSION = {"academic_year": 2024, "period": 2, "exam_date": "2025-06-05"}
DISCIPLINES = [f"D2{i}" for i in range(6)]
SCORES = {
    "excellent": [98, 95, 92, 98, 96, 99],
    "good": [98, 82, 86, 92, 82, 95],
    "c_grade": [98, 82, 67, 92, 82, 95],
    "failed": [98, 82, 30, 92, 82, 95],
    "paid": [98, 98, 98, 98, 98, 98],
    "medical": [82, 82, 82, 82, 82, 82],
    "leave": [82, 82, 82, 82, 82, 82],
}
FUNDING = {"paid": "paid"}


class Registry:
    """The people and helpers of the test registry."""

    def __init__(self, users: dict[str, Any], org: Any) -> None:
        self.users, self.org = users, org
        self.people: dict[str, Person] = {}
        self.new_group = StudyGroup.objects.create(
            code="IS-25-1", programme=org.programme, intake_year=2025, language="ru"
        )

    def bulk(self, kind: str, data: dict[str, Any], unit: Any = None) -> Document:
        default = self.org.department if kind == "grade_statement" else self.org.faculty
        return document_register_directly(
            by=self.users[Role.REGISTRAR], kind=kind, org_unit=unit or default, title=kind, data=data
        )

    def student(self, key: str, group: StudyGroup, effective: str, funding: str) -> Person:
        person = make_person(kind=Person.Kind.STUDENT, last_name_ru=f"Студент-{key}")
        person.group = group
        person.save()
        self.people[key] = person
        self.bulk(
            kind_code("enrollment"),
            order(
                "enrollment",
                person,
                effective,
                programme_code=group.programme.code,
                group_code=group.code,
                year_of_study=1,
                funding=funding,
            ),
        )
        return person

    def session_statement(self, index: int) -> Document:
        """The registered statement of discipline D2<index> for IS-24-1."""
        lines = [
            line(self.people[key], max(scores[index], 60), max(scores[index], 60), scores[index])
            for key, scores in SCORES.items()
        ]
        data = statement(
            self.org, lines, discipline_code=DISCIPLINES[index], discipline_name=DISCIPLINES[index]
        )
        return self.bulk("grade_statement", {**data, **SESSION})

    def statement_data(self, index: int) -> dict[str, Any]:
        lines = [line(self.people[key], 90, 90, 90) for key in SCORES]
        data = statement(
            self.org, lines, discipline_code=DISCIPLINES[index], discipline_name=DISCIPLINES[index]
        )
        return {**data, **SESSION}


def earlier_order(
    registry: Registry, person: Person, academic_year: int = 2024, semester: int = 2
) -> Document:
    """A registered scholarship order (by default for 2024/25 semester 2) that paid `person` the base rate."""
    data = {
        "academic_year": academic_year,
        "semester": semester,
        "base_amount": 47135,
        "increased_amount": 54205,
        "policy_version": "default",
        "awarded": [
            {
                "iin": person.iin,
                "name": person.full_name("ru"),
                "group_code": "IS-24-1",
                "rate": "base",
                "amount": 47135,
            }
        ],
        "total_amount": 47135,
    }
    return registry.bulk("scholarship_order", data, unit=registry.org.university)


@pytest.fixture
def registry(users: dict[str, Any], org: Any) -> Registry:
    """The registry of the module docstring, without the statement of D25 (see `complete`)."""
    reg = Registry(users, org)
    reg.bulk("academic_policy", {"effective_date": "2024-09-01"}, unit=org.university)
    reg.bulk("working_curriculum", curriculum(), unit=org.department)
    for key in SCORES:
        reg.student(key, org.group, "2024-09-01", FUNDING.get(key, "state_grant"))
    for index in range(5):
        reg.session_statement(index)
    earlier_order(reg, reg.people["medical"])
    reg.bulk(
        kind_code("academic_leave"),
        order(
            "academic_leave",
            reg.people["medical"],
            "2025-08-01",
            leave_grounds="illness",
            end_date="2026-08-31",
        ),
    )
    reg.bulk(
        kind_code("academic_leave"),
        order(
            "academic_leave",
            reg.people["leave"],
            "2025-08-01",
            leave_grounds="military_service",
            end_date="2026-08-31",
        ),
    )
    reg.student("freshman", reg.new_group, "2025-09-01", "state_grant")
    return reg


@pytest.fixture
def complete(registry: Registry) -> Registry:
    """The registry with the whole session registered."""
    registry.session_statement(5)
    return registry
