"""Small builders for the org structure, people and roles used across tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from records.iin import iin_check_digit
from records.models import OrgUnit, Person, Programme, Role, RoleAssignment, StudyGroup

_counter = itertools.count(1)


def make_iin(n: int | None = None) -> str:
    """A valid IIN unique for each n: born in 2000 (day and month from n // 10000), serial n % 10000."""
    n = next(_counter) if n is None else n
    day, month = 1 + (n // 10000) % 28, 1 + (n // 280000) % 12
    for century_gender in "5634":  # a serial without a check digit takes the next gender digit
        first11 = f"00{month:02d}{day:02d}{century_gender}{n % 10000:04d}"
        check = iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)
    raise AssertionError(f"no valid IIN for {n}")


def make_person(*, kind: str = Person.Kind.STAFF, username: str | None = None, **names: Any) -> Person:
    user = None
    if username:
        user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    i = next(_counter)
    defaults = {
        "last_name_kk": f"Тест{i}",
        "first_name_kk": "Әлия",
        "last_name_ru": f"Тест{i}",
        "first_name_ru": "Алия",
        "last_name_en": f"Test{i}",
        "first_name_en": "Aliya",
    }
    defaults.update(names)
    return Person.objects.create(kind=kind, user=user, iin=make_iin(), **defaults)


def make_staff(username: str, role: str, unit: OrgUnit) -> Any:
    person = make_person(username=username)
    RoleAssignment.objects.create(person=person, role=role, org_unit=unit)
    return person.user


@dataclass
class Org:
    university: OrgUnit
    faculty: OrgUnit
    other_faculty: OrgUnit
    department: OrgUnit
    registrar_office: OrgUnit
    programme: Programme
    group: StudyGroup


def make_org() -> Org:
    def unit(code: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
        return OrgUnit.objects.create(
            code=code,
            kind=kind,
            parent=parent,
            name_kk=code + " kk",
            name_ru=code + " ru",
            name_en=code + " en",
        )

    uni = unit("uni", OrgUnit.Kind.UNIVERSITY, None)
    fac = unit("fac-it", OrgUnit.Kind.FACULTY, uni)
    other = unit("fac-law", OrgUnit.Kind.FACULTY, uni)
    dep = unit("dep-cs", OrgUnit.Kind.DEPARTMENT, fac)
    reg = unit("registrar", OrgUnit.Kind.OFFICE, uni)
    prog = Programme.objects.create(
        code="6B06101",
        level=Programme.Level.BACHELOR,
        department=dep,
        name_kk="Ақпараттық жүйелер",
        name_ru="Информационные системы",
        name_en="Information systems",
    )
    group = StudyGroup.objects.create(code="IS-24-1", programme=prog, intake_year=2024, language="kk")
    return Org(uni, fac, other, dep, reg, prog, group)


ROLE_UNITS = {
    Role.RECTOR: "university",
    Role.VICE_RECTOR: "university",
    Role.REGISTRAR: "university",
    Role.ARCHIVIST: "university",
    Role.AUDITOR: "university",
    Role.ADMINISTRATOR: "university",
    Role.DEAN: "faculty",
    Role.HEAD_OF_DEPARTMENT: "department",
    Role.TEACHER: "department",
    Role.METHODOLOGIST: "university",
    Role.EXPERT_COMMISSION: "university",
}
