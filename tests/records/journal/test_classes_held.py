"""classes_held: the contract the load execution reads — hours held per teacher, discipline, group, kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from records.models import Journal, JournalClass, OrgUnit, Person
from records.selectors.journal import HeldClass, classes_held
from tests.factories import Org


def _journal(
    org: Org, teacher: Person, *, code: str = "ICT1", subgroup: int = 0, department: OrgUnit | None = None
) -> Journal:
    unit = department or org.department
    return Journal.objects.create(
        department=unit,
        org_path=unit.path,
        teacher=teacher,
        group=org.group,
        subgroup=subgroup,
        discipline_code=code,
        discipline_name="Информатика",
        academic_year=2024,
        period=1,
    )


def test_hours_are_summed_by_kind_subgroups_add_up_and_future_classes_do_not_count(
    org: Org, users: dict[str, Any]
) -> None:
    teacher = users["teacher"].person
    first = _journal(org, teacher, subgroup=1)
    second = _journal(org, teacher, subgroup=2)
    for journal in (first, second):
        JournalClass.objects.create(journal=journal, date=dt.date(2024, 9, 3), kind="laboratory", hours=2)
    JournalClass.objects.create(journal=first, date=dt.date(2024, 9, 2), kind="lecture", hours=Decimal("1.5"))
    JournalClass.objects.create(journal=first, date=dt.date(2024, 9, 9), kind="lecture", hours=1)
    JournalClass.objects.create(journal=first, date=dt.date(2999, 9, 9), kind="lecture", hours=7)

    held = classes_held(year=2024, semester=1)

    assert held == [
        HeldClass(teacher.pk, "ICT1", org.group.pk, "laboratory", Decimal(4)),
        HeldClass(teacher.pk, "ICT1", org.group.pk, "lecture", Decimal("2.5")),
    ]
    assert classes_held(year=2024, semester=2) == []
    assert classes_held(year=2024, semester=1, department_id=org.faculty.pk) == []
    assert len(classes_held(year=2024, semester=1, department_id=org.department.pk)) == 2
