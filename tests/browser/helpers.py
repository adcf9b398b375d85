"""Data the browser tests share: students enrolled through registered orders (bulk, no rendering)."""

from __future__ import annotations

from typing import Any

from records.models import Person, Programme, Role, StudyGroup
from records.projections.bulk import document_register_directly
from tests.factories import make_person


def enrolled_student(users: dict[str, Any], group: StudyGroup, faculty: Any, **names: Any) -> Person:
    """A student of `group` enrolled by a registered order (effective 1 September of the intake)."""
    person = make_person(kind=Person.Kind.STUDENT, **names)
    person.group = group
    person.save()
    document_register_directly(
        by=users[Role.REGISTRAR],
        kind="student_order_enrollment",
        org_unit=faculty,
        title="enrollment",
        data={
            "student_iin": person.iin,
            "effective_date": f"{group.intake_year}-09-01",
            "grounds": "Приказ о зачислении",
            "programme_code": group.programme.code,
            "group_code": group.code,
            "year_of_study": 1,
            "funding": "state_grant",
        },
    )
    return person


def other_faculty_group(org: Any) -> StudyGroup:
    """A study group of the other faculty (a department and programme of its own)."""
    from records.models import OrgUnit

    department = OrgUnit.objects.create(
        code="dep-law",
        kind=OrgUnit.Kind.DEPARTMENT,
        parent=org.other_faculty,
        name_kk="Құқық",
        name_ru="Право",
        name_en="Law",
    )
    programme = Programme.objects.create(
        code="6B04201",
        level=Programme.Level.BACHELOR,
        department=department,
        name_kk="Құқықтану",
        name_ru="Юриспруденция",
        name_en="Jurisprudence",
    )
    return StudyGroup.objects.create(code="LAW-24-1", programme=programme, intake_year=2024, language="ru")
