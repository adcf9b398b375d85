"""The demo's teaching load (issue 16), in bulk: the university's load norms, and for every department
with load in the current academic year its staff positions (the seeded head and teachers plus
enough further teachers: full rates, halves and hourly), its load calculation, a distribution that
gives each teacher whole disciplines up to about 90 % of their limit, and an individual plan per
teacher with some methodical and research work. Registered directly (no rendering, no signatures).
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from records.academics.teaching_load import annual_limit
from records.demo.seed import _iin, _person_fields
from records.models import Document, OrgUnit, Person, Role, RoleAssignment, StaffPosition
from records.projections.bulk import document_register_directly
from records.projections.teaching import (
    CALCULATION_KIND,
    compute_lines,
    department_cohorts,
    norms_in_force,
    year_start,
)
from records.selectors.statements import current_term

FILL = Decimal("0.9")  # the share of a limit the demo fills before it moves to the next teacher
OTHER_WORK = [
    ("methodical", "Подготовка силлабусов и экзаменационных материалов", 1, 40),
    ("research", "Подготовка научной статьи", 2, 60),
    ("organisational", "Работа куратором академической группы", 1, 20),
]


def _extra_teacher(rng: random.Random, used: set[str], department: OrgUnit) -> Person:
    person = Person.objects.create(kind=Person.Kind.STAFF, iin=_iin(rng, used), **_person_fields(rng))
    RoleAssignment.objects.create(person=person, role=Role.TEACHER, org_unit=department)
    return person


def _positions(
    rng: random.Random, used: set[str], department: OrgUnit, year: int, total: Decimal
) -> list[tuple[Person, Decimal]]:
    """The department's teachers with their limits: the seeded staff on full rates, then more (full,
    half and hourly, in turn) until their limits hold the load with room to spare."""
    norms, _version = norms_in_force(year_start(year))
    people = [
        ra.person
        for ra in RoleAssignment.objects.filter(
            org_unit=department, role__in=[Role.TEACHER, Role.HEAD_OF_DEPARTMENT]
        )
        .select_related("person")
        .order_by("role", "id")
    ]
    people.sort(key=lambda p: p.user.username if p.user else "~")  # teacher1_1 first, the head after
    shapes = [
        ("staff", Decimal(1), None),
        ("internal_part_time", Decimal("0.5"), None),
        ("hourly", Decimal(0), Decimal(300)),
    ]
    result: list[tuple[Person, Decimal]] = []
    positions: list[StaffPosition] = []
    index = 0
    while sum((limit for _p, limit in result), Decimal(0)) * FILL < total * Decimal("1.05") or index < len(
        people
    ):
        person = people[index] if index < len(people) else _extra_teacher(rng, used, department)
        kind, rate, hours = ("staff", Decimal(1), None) if index < len(people) else shapes[index % 3]
        positions.append(
            StaffPosition(
                person=person,
                department=department,
                academic_year=year,
                kind=kind,
                rate=rate,
                contracted_hours=hours,
            )
        )
        result.append((person, annual_limit(kind=kind, rate=rate, contracted_hours=hours, norms=norms)))
        index += 1
    StaffPosition.objects.bulk_create(positions)
    return result


def _distribute(lines: list[dict[str, Any]], teachers: list[tuple[Person, Decimal]]) -> list[dict[str, Any]]:
    """Whole disciplines (every line of a discipline in a term) to one teacher up to FILL of their
    limit; a discipline no one has room for goes line by line, and a line bigger than anyone's room
    (a cohort's thesis supervision) is split in hours among the teachers with the most room."""
    by_discipline: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        by_discipline[(line["term"], line["discipline_code"] or line["kind"])].append(line)
    loads = [Decimal(0)] * len(teachers)
    assignments: list[dict[str, Any]] = []

    def room(i: int, share: Decimal = FILL) -> Decimal:
        return teachers[i][1] * share - loads[i]

    def give(i: int, line: dict[str, Any], hours: Decimal, *, whole: bool) -> None:
        loads[i] += hours
        assignment = {"line_key": line["key"], "teacher_iin": teachers[i][0].iin}
        assignments.append(assignment if whole else {**assignment, "hours": str(hours)})

    for _key, group in sorted(
        by_discipline.items(), key=lambda item: -sum(Decimal(x["hours"]) for x in item[1])
    ):
        need = sum((Decimal(x["hours"]) for x in group), Decimal(0))
        fits = [i for i in range(len(teachers)) if room(i) >= need]
        if fits:
            for line in group:
                give(fits[0], line, Decimal(line["hours"]), whole=True)
            continue
        for line in group:
            left = Decimal(line["hours"])
            best = max(range(len(teachers)), key=lambda i: room(i, Decimal(1)))
            if room(best, Decimal(1)) >= left:
                give(best, line, left, whole=True)
                continue
            for i in sorted(range(len(teachers)), key=lambda i: -room(i, Decimal(1))):
                part = min(left, room(i, Decimal(1)).quantize(Decimal("0.01")))
                if part <= 0:
                    break
                give(i, line, part, whole=False)
                left -= part
                if left <= 0:
                    break
    return assignments


@transaction.atomic
def seed_teaching(*, seed: int = 2026, year: int | None = None) -> dict[str, int]:
    """Register the demo's teaching load of `year` (the current academic year by default) for every
    department that has none yet; the norms once."""
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not secrets
    used = set(Person.objects.values_list("iin", flat=True))
    year = year or current_term(timezone.localdate()).year
    users = get_user_model().objects
    registrar = users.get(username="registrar")
    university = OrgUnit.objects.get(parent__isnull=True)
    counts: dict[str, int] = defaultdict(int)

    def register(kind: str, unit: OrgUnit, data: dict[str, Any]) -> Document:
        counts[kind] += 1
        return document_register_directly(by=registrar, kind=kind, org_unit=unit, title="", data=data)

    if not Document.objects.filter(kind="load_norms").exists():
        register("load_norms", university, {"effective_date": f"{year - 1}-09-01"})
    done = {
        str(data.get("department_code"))
        for data in Document.objects.filter(
            kind=CALCULATION_KIND, current_version__data__academic_year=year
        ).values_list("current_version__data", flat=True)
    }
    cohorts = department_cohorts(year)
    norms, _version = norms_in_force(year_start(year))
    for department in OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("code"):
        if department.code in done or not compute_lines(cohorts.get(department.code, []), norms):
            continue
        calculation = register(
            CALCULATION_KIND, department, {"academic_year": year, "department_code": department.code}
        )
        assert calculation.current_version is not None
        lines = calculation.current_version.data["lines"]
        total = Decimal(calculation.current_version.data["total"])
        teachers = _positions(rng, used, department, year, total)
        register(
            "load_distribution",
            department,
            {
                "academic_year": year,
                "department_code": department.code,
                "assignments": _distribute(lines, teachers),
            },
        )
        for person, _limit in teachers:
            other = [
                {"section": section, "title": title, "term": term, "planned": hours, "actual": 0}
                for section, title, term, hours in OTHER_WORK
            ]
            register(
                "teacher_plan",
                department,
                {
                    "academic_year": year,
                    "department_code": department.code,
                    "teacher_iin": person.iin,
                    "other_work": other,
                },
            )
    return dict(counts)
