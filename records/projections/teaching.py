"""Teaching load from the registry: the norms in force, a department's load computed from the
registered working curricula and the contingent, and the projections of the registered calculation
(LoadLineRow) and distribution (TeachingAssignment).

The latest registered (never revoked) calculation or distribution of a department's academic year is
the one in force; registering one replaces the rows of its department and year, revoking one brings
back the rows of the one before it. A replay, applying them in registration order, ends with the
same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from records.academics.teaching_load import (
    DEFAULT_NORMS,
    Cohort,
    DisciplineInput,
    GroupCount,
    LoadLine,
    LoadNorms,
    cohort_lines,
)
from records.lifecycle import State
from records.models import Document, LoadLineRow, Person, Programme, StudyGroup, TeachingAssignment
from records.models.academic import StudentStatus
from records.models.monitoring import StudentSpell
from records.projections import teaching_done
from records.projections.base import in_force

NORMS_KIND = "load_norms"
CALCULATION_KIND = "load_calculation"
DISTRIBUTION_KIND = "load_distribution"
DEFAULT_VERSION = "default"


def norms_from_data(data: dict[str, Any]) -> LoadNorms:
    """The LoadNorms in a norms document's data (its ``effective_date`` removed)."""
    return LoadNorms.model_validate({k: v for k, v in data.items() if k != "effective_date"})


def norms_in_force(
    date: dt.date, *, include: Document | None = None, exclude_id: int | None = None
) -> tuple[LoadNorms, str]:
    """The norms in force on `date` (the latest registered with effective_date ≤ date, then by
    registration) and their version: the document's registry number, or "default"."""
    documents = [
        d
        for d in in_force([NORMS_KIND]).select_related("current_version")
        if d.pk != exclude_id and (include is None or d.pk != include.pk)
    ]
    if include is not None:
        documents.append(include)
    chosen: tuple[dt.date, dt.datetime, int, Document] | None = None
    for document in documents:
        assert document.current_version is not None and document.registered_at is not None
        effective = dt.date.fromisoformat(str(document.current_version.data["effective_date"]))
        key = (effective, document.registered_at, document.pk, document)
        if effective <= date and (chosen is None or key[:3] > chosen[:3]):
            chosen = key
    if chosen is None:
        return DEFAULT_NORMS, DEFAULT_VERSION
    document = chosen[3]
    assert document.current_version is not None
    return norms_from_data(document.current_version.data), document.registry_number or str(document.pk)


def year_start(academic_year: int) -> dt.date:
    """The date whose norms govern an academic year's load: 1 September."""
    return dt.date(academic_year, 9, 1)


@dataclass(frozen=True)
class DepartmentCohort:
    """A cohort's lines that belong to one department (its disciplines there; supervision when own)."""

    department_code: str
    cohort: Cohort
    supervision: bool


def contingent(groups: list[StudyGroup], *, on: dt.date | None = None) -> dict[int, int]:
    """Students per group id: enrolled, or not yet projected but assigned. Enrolled today (the Student
    projection), or with `on` a past day, enrolled on that day (the spell of their orders in force
    then, records.models.monitoring.StudentSpell): a cohort that has graduated since still counts."""
    counts: dict[int, int] = defaultdict(int)
    ids = [g.pk for g in groups]
    if on is not None and on < timezone.localdate():
        spells = StudentSpell.objects.filter(
            valid_from__lte=on, status=StudentStatus.ENROLLED, group_id__in=ids
        )
        spells = spells.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        for group_id, n in (
            spells.values("group_id")
            .annotate(n=Count("person_id", distinct=True))
            .order_by()
            .values_list("group_id", "n")
        ):
            counts[group_id] += n
    else:
        for row in (
            Person.objects.filter(kind=Person.Kind.STUDENT, student_record__group_id__in=ids)
            .filter(student_record__status=StudentStatus.ENROLLED)
            .values("student_record__group_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[row["student_record__group_id"]] += row["n"]
    unprojected = (
        Person.objects.filter(kind=Person.Kind.STUDENT, student_record__isnull=True, group_id__in=ids)
        .values("group_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("group_id", "n")
    )
    for group_id, n in unprojected:
        counts[group_id] += n
    return counts


def _curricula() -> dict[tuple[str, int], Document]:
    """The registered working curriculum of each (programme, intake year): the latest registered."""
    found: dict[tuple[str, int], Document] = {}
    documents = (
        Document.objects.filter(kind="working_curriculum", state=State.REGISTERED)
        .select_related("current_version")
        .order_by("registered_at", "id")
    )
    for document in documents:
        data = document.current_version.data if document.current_version else {}
        found[(str(data.get("programme_code")), int(data.get("intake_year") or 0))] = document
    return found


def department_cohorts(academic_year: int) -> dict[str, list[DepartmentCohort]]:
    """Every department's share of the university's cohorts studying in `academic_year`."""
    groups = list(
        StudyGroup.objects.filter(intake_year__lte=academic_year, intake_year__gte=academic_year - 7)
        .select_related("programme__department")
        .order_by("code")
    )
    counts = contingent(groups, on=year_start(academic_year))  # who studied then, not who studies now
    curricula = _curricula()
    by_cohort: dict[tuple[str, int], list[StudyGroup]] = defaultdict(list)
    for group in groups:
        by_cohort[(group.programme.code, group.intake_year)].append(group)
    result: dict[str, list[DepartmentCohort]] = defaultdict(list)
    for (programme_code, intake), members in sorted(by_cohort.items()):
        programme: Programme = members[0].programme
        own = programme.department.code
        counted = [GroupCount(g.code, counts.get(g.pk, 0), g.language) for g in members]
        if not any(g.students for g in counted):
            continue
        shares: dict[str, list[DisciplineInput]] = defaultdict(list)
        document = curricula.get((programme_code, intake))
        if document is not None and document.current_version is not None:
            for semester in document.current_version.data.get("semesters", []):
                number = int(semester["number"])
                term = number - (academic_year - intake) * 2
                if term not in (1, 2):
                    continue
                for line in semester.get("disciplines", []):
                    shares[str(line.get("department_code") or own)].append(
                        DisciplineInput(
                            code=str(line["code"]),
                            name=str(line["name"]),
                            credits=int(line["credits"]),
                            control_form=str(line.get("control_form") or "exam"),
                            hours={str(k): int(v) for k, v in (line.get("hours") or {}).items()},
                            term=term,
                            curriculum_semester=number,
                            curriculum_id=document.pk,
                            curriculum_number=document.registry_number or str(document.pk),
                        )
                    )
        shares.setdefault(own, [])
        for department_code, disciplines in shares.items():
            cohort = Cohort(programme_code, programme.level, counted, disciplines)
            result[department_code].append(DepartmentCohort(department_code, cohort, department_code == own))
    return result


def compute_lines(cohorts: list[DepartmentCohort], norms: LoadNorms) -> list[LoadLine]:
    """A department's lines from its cohorts, in term, discipline, kind and group order."""
    lines = [line for c in cohorts for line in cohort_lines(c.cohort, norms, supervision=c.supervision)]
    return sorted(lines, key=lambda line: (line.term, line.discipline_code, line.kind, line.group_codes))


def line_data(line: LoadLine) -> dict[str, Any]:
    """A load line as the calculation document stores it."""
    return {
        "key": line.key,
        "term": line.term,
        "discipline_code": line.discipline_code,
        "discipline_name": line.discipline_name,
        "kind": line.kind,
        "group_codes": list(line.group_codes),
        "students": line.students,
        "units": line.units,
        "base": str(line.base),
        "norm_item": line.norm_item,
        "norm_value": str(line.norm_value),
        "hours": str(line.hours),
        "curriculum_id": line.curriculum_id,
        "curriculum_number": line.curriculum_number,
        "curriculum_semester": line.curriculum_semester,
    }


def latest_in_force(
    kind: str, department_code: str, academic_year: int, *, exclude_id: int | None = None
) -> Document | None:
    """The latest registered, never revoked document of `kind` for a department's academic year."""
    documents = (
        in_force([kind])
        .filter(
            current_version__data__department_code=department_code,
            current_version__data__academic_year=academic_year,
        )
        .exclude(pk=exclude_id or 0)
        .select_related("current_version")
    )
    return documents.order_by("-registered_at", "-id").first()


def _replace(
    model: Any,
    document: Document | None,
    data: dict[str, Any] | None,
    department_code: str,
    academic_year: int,
) -> None:
    model.objects.filter(department_code=department_code, academic_year=academic_year).delete()
    if document is None or data is None:
        return
    if model is LoadLineRow:
        _insert_lines(document, data)
    else:
        _insert_assignments(document, data)
        teaching_done.assignments_replaced(department_code=department_code, year=academic_year)


def _insert_lines(document: Document, data: dict[str, Any]) -> None:
    LoadLineRow.objects.bulk_create(
        [
            LoadLineRow(
                document=document,
                department_code=data["department_code"],
                academic_year=data["academic_year"],
                key=line["key"],
                term=line["term"],
                discipline_code=line["discipline_code"],
                discipline_name=line["discipline_name"][:300],
                kind=line["kind"],
                group_codes=", ".join(line["group_codes"])[:400],
                students=line["students"],
                units=line["units"],
                base=Decimal(line["base"]),
                norm_item=line["norm_item"],
                norm_value=Decimal(line["norm_value"]),
                hours=Decimal(line["hours"]),
                curriculum_number=line.get("curriculum_number") or "",
                curriculum_semester=line.get("curriculum_semester"),
            )
            for line in data.get("lines", [])
        ],
        batch_size=1000,
    )


def _insert_assignments(document: Document, data: dict[str, Any]) -> None:
    people = dict(
        Person.objects.filter(iin__in={a["teacher_iin"] for a in data.get("assignments", [])}).values_list(
            "iin", "id"
        )
    )
    TeachingAssignment.objects.bulk_create(
        [
            TeachingAssignment(
                document=document,
                teacher_id=people[a["teacher_iin"]],
                department_code=data["department_code"],
                academic_year=data["academic_year"],
                line_key=a["line_key"],
                term=a["term"],
                discipline_code=a["discipline_code"],
                kind=a["kind"],
                group_codes=", ".join(a["group_codes"])[:400],
                hours=Decimal(a["hours"]),
            )
            for a in data.get("assignments", [])
            if a["teacher_iin"] in people
        ],
        batch_size=1000,
    )


def _data(document: Document | None) -> dict[str, Any] | None:
    return document.current_version.data if document is not None and document.current_version else None


def project_calculation(document: Document, version: Any) -> None:
    """The registered calculation's lines replace its department's lines of that year."""
    data = version.data
    _replace(LoadLineRow, document, data, data["department_code"], data["academic_year"])


def unproject_calculation(document: Document, version: Any) -> None:
    """Revoked: the calculation registered before it (if any) is in force again."""
    data = version.data
    before = latest_in_force(
        CALCULATION_KIND, data["department_code"], data["academic_year"], exclude_id=document.pk
    )
    _replace(LoadLineRow, before, _data(before), data["department_code"], data["academic_year"])


def project_distribution(document: Document, version: Any) -> None:
    """The registered distribution's assignments replace its department's assignments of that year."""
    data = version.data
    _replace(TeachingAssignment, document, data, data["department_code"], data["academic_year"])


def unproject_distribution(document: Document, version: Any) -> None:
    """Revoked: the distribution registered before it (if any) is in force again."""
    data = version.data
    before = latest_in_force(
        DISTRIBUTION_KIND, data["department_code"], data["academic_year"], exclude_id=document.pk
    )
    _replace(TeachingAssignment, before, _data(before), data["department_code"], data["academic_year"])
