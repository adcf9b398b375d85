"""A deterministic demo university: org tree, programmes, groups, staff in every role, students."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from records.demo import names
from records.iin import iin_check_digit
from records.models import OrgUnit, Person, Programme, Role, RoleAssignment, StudyGroup

DEMO_PASSWORD = "rectorate-demo"  # noqa: S105 - printed with the demo logins


@dataclass
class SeedResult:
    """What was created, and the demo logins (one per role)."""

    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, unit)
    students: int = 0


def _iin(rng: random.Random, used: set[str]) -> str:
    while True:
        year = rng.randint(1960, 2007)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        century_sex = (3 if year < 2000 else 5) + rng.randint(0, 1)
        first11 = f"{year % 100:02d}{month:02d}{day:02d}{century_sex}{rng.randint(0, 9999):04d}"
        check = iin_check_digit(first11)
        if check is None:
            continue
        iin = first11 + str(check)
        if iin not in used:
            used.add(iin)
            return iin


def _person_fields(rng: random.Random) -> dict[str, str]:
    last = rng.choice(names.SURNAMES)
    female = rng.random() < 0.5
    first = rng.choice(names.FEMALE_FIRST if female else names.MALE_FIRST)
    father = rng.choice(names.FATHERS)
    suffix = "а" if female and last[1].endswith(("ов", "ев", "ин")) else ""
    patronymic_kk = father[0].replace("ұлы", "қызы") if female else father[0]
    patronymic_ru = father[1].replace("ович", "овна") if female else father[1]
    return {
        "last_name_kk": last[0] + suffix,
        "last_name_ru": last[1] + suffix,
        "last_name_en": last[2] + ("a" if suffix else ""),
        "first_name_kk": first[0],
        "first_name_ru": first[1],
        "first_name_en": first[2],
        "patronymic_kk": patronymic_kk,
        "patronymic_ru": patronymic_ru,
    }


def back_office_group() -> Any:
    """The group whose members may open the back office (Wagtail's access_admin permission)."""
    group, _created = Group.objects.get_or_create(name="Back office")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@transaction.atomic
def seed_demo(
    *, students: int = 2000, seed: int = 2026, progress: Callable[[int], Any] | None = None
) -> SeedResult:
    """Create the demo university. Deterministic for a given seed; run on an empty database."""
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not secrets
    used_iins: set[str] = set()
    result = SeedResult()
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)

    def unit(code: str, kind: str, parent: OrgUnit | None, kk: str, ru: str, en: str) -> OrgUnit:
        return OrgUnit.objects.create(code=code, kind=kind, parent=parent, name_kk=kk, name_ru=ru, name_en=en)

    uni = unit(
        "univ",
        OrgUnit.Kind.UNIVERSITY,
        None,
        "Демо университеті",
        "Демо-университет",
        "Demo University",
    )
    offices = {  # noqa: F841 - kept for readability of the tree
        code: unit(code, OrgUnit.Kind.OFFICE, uni, kk, ru, en)
        for code, kk, ru, en in [
            ("registrar", "Тіркеу кеңсесі", "Офис регистратора", "Registrar's Office"),
            ("archive", "Мұрағат", "Архив", "Archive"),
            ("accounting", "Бухгалтерия", "Бухгалтерия", "Accounting"),
            ("hr", "Кадр бөлімі", "Отдел кадров", "Human Resources"),
        ]
    }
    faculties = {
        code: unit(code, OrgUnit.Kind.FACULTY, uni, kk, ru, en) for code, kk, ru, en in names.FACULTIES
    }
    departments = {
        code: unit(code, OrgUnit.Kind.DEPARTMENT, faculties[fac], kk, ru, en)
        for fac, code, kk, ru, en in names.DEPARTMENTS
    }
    programmes = [
        Programme.objects.create(
            code=code,
            level=level,
            department=departments[dep],
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            credits_total=240 if level == "bachelor" else 120,
        )
        for dep, code, level, kk, ru, en in names.PROGRAMMES
    ]
    groups: list[StudyGroup] = []
    for prog in programmes:
        years = range(2022, 2026) if prog.level == "bachelor" else range(2024, 2026)
        for year in years:
            for lang in ("kk", "ru"):
                groups.append(
                    StudyGroup.objects.create(
                        code=f"{prog.code}-{year % 100}-{lang.upper()}",
                        programme=prog,
                        intake_year=year,
                        language=lang,
                    )
                )

    staff_group = back_office_group()

    def staff(username: str, role: str, scope: OrgUnit) -> Person:
        user = user_model.objects.create(username=username, password=password, is_staff=role != Role.STUDENT)
        user.groups.add(staff_group)
        if role == Role.ADMINISTRATOR:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        person = Person.objects.create(
            kind=Person.Kind.STAFF, user=user, iin=_iin(rng, used_iins), **_person_fields(rng)
        )
        RoleAssignment.objects.create(person=person, role=role, org_unit=scope)
        result.logins.append((role, username, scope.name_en))
        return person

    staff("rector", Role.RECTOR, uni)
    staff("vicerector", Role.VICE_RECTOR, uni)
    staff("registrar", Role.REGISTRAR, uni)
    staff("archivist", Role.ARCHIVIST, uni)
    staff("expert", Role.EXPERT_COMMISSION, uni)
    staff("auditor", Role.AUDITOR, uni)
    staff("admin", Role.ADMINISTRATOR, uni)
    staff("methodologist", Role.METHODOLOGIST, uni)
    for i, fac in enumerate(faculties.values(), start=1):
        staff(f"dean{i}", Role.DEAN, fac)
    for i, dep in enumerate(departments.values(), start=1):
        staff(f"head{i}", Role.HEAD_OF_DEPARTMENT, dep)
        for j in range(1, 3):
            staff(f"teacher{i}_{j}", Role.TEACHER, dep)
    # Only the first of each kind is printed as the demo login.
    seen: set[str] = set()
    result.logins = [row for row in result.logins if not (row[0] in seen or seen.add(row[0]))]  # type: ignore[func-returns-value]

    batch: list[Person] = []
    users: list[Any] = []
    for n in range(students):
        group = groups[n % len(groups)]
        users.append(user_model(username=f"s{n + 1:05d}", password=password))
        batch.append(
            Person(kind=Person.Kind.STUDENT, iin=_iin(rng, used_iins), group=group, **_person_fields(rng))
        )
    created_users = user_model.objects.bulk_create(users, batch_size=500)
    for person, user in zip(batch, created_users, strict=True):
        person.user = user
    created = Person.objects.bulk_create(batch, batch_size=500)
    group_faculty = {
        g.pk: g.programme.department.parent
        for g in StudyGroup.objects.select_related("programme__department__parent")
    }
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(person=p, role=Role.STUDENT, org_unit=group_faculty[p.group_id or 0])
            for p in created
        ],
        batch_size=1000,
    )
    if created:
        # The printed student is one still studying (the first of the newest intake), not a graduate.
        newest = max(p.group.intake_year for p in created if p.group is not None)
        current = next(p for p in created if p.group is not None and p.group.intake_year == newest)
        result.logins.append((Role.STUDENT, current.user.username, current.group.code))  # type: ignore[union-attr]
    result.students = len(created)
    if progress:
        progress(len(created))
    return result
