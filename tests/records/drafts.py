"""Valid drafts of every kind that names students, groups or programmes: the history each needs
registered in bulk first, and who drafts it for which unit (shared by the subject-scope tests and the
transition tables)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from records.kinds.base import get_kind
from records.kinds.student_order import ORDER_SCHEMAS, kind_code
from records.models import (
    DiplomaBookEntry,
    Document,
    LoadLineRow,
    OrgUnit,
    Person,
    Role,
    StaffPosition,
    StudyGroup,
)
from records.projections.bulk import document_register_directly
from tests.factories import make_person
from tests.records.academic.conftest import curriculum
from tests.records.teaching.conftest import curriculum_data, enrol


@dataclass
class Side:
    """A group (with its programme and faculty) where the subjects of a case live."""

    group: StudyGroup
    faculty: OrgUnit


def _register(actors: dict[str, Any], side: Side, kind: str, data: dict[str, Any]) -> Document:
    """History set up in bulk by the university registrar (no rendering), owned by the subject's faculty."""
    return document_register_directly(
        by=actors[Role.REGISTRAR], kind=kind, org_unit=side.faculty, title=kind, data=data
    )


def _order(person: Person, effective: str, **extra: Any) -> dict[str, Any]:
    return {"student_iin": person.iin, "effective_date": effective, "grounds": "Заявление студента", **extra}


def _student(actors: dict[str, Any], side: Side, *, history: tuple[str, ...] = ("enrollment",)) -> Person:
    """A student of the side's group with registered orders `history` (in that order)."""
    person = make_person(kind=Person.Kind.STUDENT)
    person.group = side.group
    person.save()
    steps: dict[str, tuple[str, dict[str, Any]]] = {
        "enrollment": (
            "2024-09-01",
            {
                "programme_code": side.group.programme.code,
                "group_code": side.group.code,
                "year_of_study": 1,
                "funding": "state_grant",
            },
        ),
        "academic_leave": ("2025-02-01", {"leave_grounds": "illness", "end_date": "2026-02-01"}),
        "expulsion": ("2025-02-01", {"grounds": "Академическая неуспеваемость"}),
        "final_attestation_admission": ("2025-02-01", {}),
    }
    for order_type in history:
        effective, extra = steps[order_type]
        _register(actors, side, kind_code(order_type), _order(person, effective, **extra))
    return person


def _statement(person: Person, side: Side) -> dict[str, Any]:
    return {
        "discipline_code": "MAT101",
        "discipline_name": "Математика",
        "credits": 5,
        "group_code": side.group.code,
        "academic_year": 2024,
        "period": 1,
        "exam_date": "2025-01-10",
        "examiner": "Тестов Т.",
        "lines": [{"student_iin": person.iin, "rating1": "80", "rating2": "80", "exam": "80"}],
    }


def _rating(person: Person, side: Side) -> dict[str, Any]:
    return {
        "discipline_code": "MAT101",
        "discipline_name": "Математика",
        "credits": 5,
        "group_code": side.group.code,
        "academic_year": 2024,
        "period": 1,
        "control": 1,
        "date": "2024-10-19",
        "teacher": "Тестов Т.",
        "lines": [{"student_iin": person.iin, "current": "80", "midterm": "70", "present": 10}],
    }


def _coursework(person: Person, side: Side) -> dict[str, Any]:
    return {
        "discipline_code": "MAT101",
        "discipline_name": "Математика",
        "work_kind": "coursework",
        "credits": 1,
        "group_code": side.group.code,
        "academic_year": 2024,
        "period": 1,
        "date": "2024-12-20",
        "supervisor": "Тестов Т.",
        "lines": [{"student_iin": person.iin, "topic": "Тема", "score": "85"}],
    }


def _practice(person: Person, side: Side) -> dict[str, Any]:
    return {
        "practice_code": "PP2",
        "practice_name": "Производственная практика",
        "practice_kind": "production",
        "credits": 5,
        "group_code": side.group.code,
        "academic_year": 2024,
        "period": 2,
        "date": "2025-06-20",
        "supervisor": "Тестов Т.",
        "lines": [{"student_iin": person.iin, "place": "ТОО «Пример»", "score": "92"}],
    }


def _protocol(person: Person, side: Side) -> dict[str, Any]:
    return {
        "form": "thesis_defence",
        "group_code": side.group.code,
        "academic_year": 2025,
        "date": "2026-06-10",
        "chair": "Председатель Г.",
        "members": ["Член Один", "Член Два"],
        "lines": [{"student_iin": person.iin, "topic": "Тема", "score": "85"}],
    }


def _graduate(kind: str, person: Person, side: Side, actors: dict[str, Any]) -> dict[str, Any]:
    number = DiplomaBookEntry.objects.count() + 1
    DiplomaBookEntry.objects.create(
        series="BD",
        number=number,
        graduate=person,
        issue_date=dt.date(2026, 7, 1),
        created_by=actors[Role.REGISTRAR],
    )
    return {
        **get_kind(kind).sample_data,
        "student_iin": person.iin,
        "programme_code": side.group.programme.code,
        "diploma_number": f"BD {number:07d}",
    }


def _certificate(person: Person, side: Side) -> dict[str, Any]:
    return {
        **get_kind("student_certificate").sample_data,
        "iin": person.iin,
        "group": side.group.code,
        "programme_code": side.group.programme.code,
    }


def _scholarship(person: Person, side: Side, faculty_code: str) -> dict[str, Any]:
    return {
        "academic_year": 2026,
        "semester": 1,
        "faculty_code": faculty_code,
        "base_amount": 41_000,
        "increased_amount": 50_000,
        "policy_version": "default",
        "awarded": [
            {
                "iin": person.iin,
                "name": person.full_name(),
                "group_code": side.group.code,
                "rate": "base",
                "amount": 41_000,
            }
        ],
        "excluded": [],
        "total_amount": 41_000,
    }


ORDER_DATA: dict[str, tuple[tuple[str, ...], Callable[[Person, Side], dict[str, Any]]]] = {
    "enrollment": (
        (),
        lambda p, s: _order(
            p,
            "2024-09-01",
            programme_code=s.group.programme.code,
            group_code=s.group.code,
            year_of_study=1,
            funding="state_grant",
        ),
    ),
    "transfer": (("enrollment",), lambda p, s: _order(p, "2025-02-01", funding="paid")),
    "academic_leave": (
        ("enrollment",),
        lambda p, s: _order(p, "2025-02-01", leave_grounds="illness", end_date="2026-02-01"),
    ),
    "return_from_leave": (("enrollment", "academic_leave"), lambda p, s: _order(p, "2025-09-01")),
    "expulsion": (("enrollment",), lambda p, s: _order(p, "2025-02-01", grounds="Неуспеваемость")),
    "reinstatement": (("enrollment", "expulsion"), lambda p, s: _order(p, "2025-09-01")),
    "next_year": (("enrollment",), lambda p, s: _order(p, "2025-09-01")),
    "final_attestation_admission": (("enrollment",), lambda p, s: _order(p, "2025-02-01")),
    "graduation": (
        ("enrollment", "final_attestation_admission"),
        lambda p, s: _order(p, "2026-06-30", degree_awarded="Бакалавр"),
    ),
}
assert set(ORDER_DATA) == set(ORDER_SCHEMAS)


@dataclass
class Case:
    """How a kind's document is drafted in a case: by whom, owned by which unit, with which data."""

    actor: str
    unit: Callable[[Any], OrgUnit]
    data: Callable[[dict[str, Any], Side, Any], tuple[dict[str, Any], str]]  # (data, the name to look for)


def _with_student(
    history: tuple[str, ...], build: Callable[[Person, Side], dict[str, Any]], *, group_first: bool = False
) -> Any:
    """Data naming one student of the side (a statement names its group first, and the refusal names it)."""

    def make(actors: dict[str, Any], side: Side, org: Any) -> tuple[dict[str, Any], str]:
        person = _student(actors, side, history=history)
        return build(person, side), f"group {side.group.code}" if group_first else person.full_name()

    return make


def _faculty(org: Any) -> OrgUnit:
    return org.faculty


def _department(org: Any) -> OrgUnit:
    return org.department


def _curriculum(actors: dict[str, Any], side: Side, org: Any) -> tuple[dict[str, Any], str]:
    code = side.group.programme.code
    return {**curriculum(), "programme_code": code}, code


def _diploma(kind: str) -> Any:
    def make(actors: dict[str, Any], side: Side, org: Any) -> tuple[dict[str, Any], str]:
        person = _student(actors, side)
        return _graduate(kind, person, side, actors), person.full_name()

    return make


def _scholarship_case(actors: dict[str, Any], side: Side, org: Any) -> tuple[dict[str, Any], str]:
    person = _student(actors, side)
    return _scholarship(person, side, org.faculty.code), person.full_name()


def _report(code: str, side: Side) -> tuple[dict[str, Any], str]:
    """A report of the side's faculty (it names the unit it covers)."""
    data = {**get_kind(code).sample_data, "scope_code": side.faculty.code, "scope_name": side.faculty.name}
    return data, side.faculty.name


def _file_plan(actors: dict[str, Any], side: Side, org: Any) -> tuple[dict[str, Any], str]:
    """A nomenclature with a series of the side's faculty (it names the unit whose file it is)."""
    entry = {**get_kind("file_plan").sample_data["series"][0], "unit": side.faculty.code}
    return {"effective_date": "2026-01-01", "series": [entry]}, side.faculty.name


CASES: dict[str, Case] = {
    "file_plan": Case("faculty_archivist", _faculty, _file_plan),
    "grade_statement": Case(
        Role.TEACHER, _department, _with_student(("enrollment",), _statement, group_first=True)
    ),
    "coursework_statement": Case(
        Role.TEACHER, _department, _with_student(("enrollment",), _coursework, group_first=True)
    ),
    "practice_statement": Case(
        Role.TEACHER, _department, _with_student(("enrollment",), _practice, group_first=True)
    ),
    "rating_statement": Case(
        Role.TEACHER, _department, _with_student(("enrollment",), _rating, group_first=True)
    ),
    "final_attestation_protocol": Case(
        Role.DEAN,
        _faculty,
        _with_student(("enrollment", "final_attestation_admission"), _protocol, group_first=True),
    ),
    **{
        kind_code(order_type): Case(Role.DEAN, _faculty, _with_student(history, build))
        for order_type, (history, build) in ORDER_DATA.items()
    },
    "transcript": Case(
        Role.DEAN,
        _faculty,
        _with_student(("enrollment",), lambda p, s: {"student_iin": p.iin, "as_of": "2026-09-01"}),
    ),
    "working_curriculum": Case(Role.HEAD_OF_DEPARTMENT, _department, _curriculum),
    "diploma": Case("faculty_registrar", _faculty, _diploma("diploma")),
    "diploma_supplement": Case("faculty_registrar", _faculty, _diploma("diploma_supplement")),
    "student_certificate": Case("faculty_registrar", _faculty, _with_student(("enrollment",), _certificate)),
    "scholarship_order": Case("faculty_registrar", _faculty, _scholarship_case),
    **{
        code: Case("faculty_registrar", _faculty, lambda actors, side, org, code=code: _report(code, side))
        for code in (
            "report_contingent",
            "report_movement",
            "report_session_results",
            "report_graduates",
            "report_teaching_load",
        )
    },
}


def _load_department(actors: dict[str, Any], side: Side, *, calculation: bool = False) -> OrgUnit:
    """The side's department with a registered curriculum and students (and its load calculation)."""
    department = side.group.programme.department
    _register(
        actors, side, "working_curriculum", curriculum_data(side.group.programme.code, side.group.intake_year)
    )
    enrol(side.group, 5)
    if calculation:
        document_register_directly(
            by=actors[Role.REGISTRAR],
            kind="load_calculation",
            org_unit=department,
            title="",
            data={"academic_year": side.group.intake_year + 1, "department_code": department.code},
        )
    return department


def _whole_load(department: OrgUnit, year: int) -> list[dict[str, Any]]:
    """Every line of the department's registered calculation to one teacher with room for it all."""
    teacher = make_person()
    for kind, rate, hours in (("staff", "1", None), ("hourly", "0", "1000")):
        StaffPosition.objects.create(
            person=teacher,
            department=department,
            academic_year=year,
            kind=kind,
            rate=Decimal(rate),
            contracted_hours=Decimal(hours) if hours else None,
        )
    keys = LoadLineRow.objects.filter(department_code=department.code, academic_year=year)
    return [{"line_key": key, "teacher_iin": teacher.iin} for key in keys.values_list("key", flat=True)]


def _load_case(kind: str) -> Any:
    """A teaching-load document of the side's department (it names the department)."""

    def make(actors: dict[str, Any], side: Side, org: Any) -> tuple[dict[str, Any], str]:
        department = _load_department(actors, side, calculation=kind == "load_distribution")
        data: dict[str, Any] = {
            "academic_year": side.group.intake_year + 1,
            "department_code": department.code,
        }
        if kind == "load_distribution":
            data["assignments"] = _whole_load(department, data["academic_year"])
        if kind == "teacher_plan":
            teacher = make_person()
            data["teacher_iin"] = teacher.iin
        if kind == "load_execution_report":
            data["semester"] = 1
        return data, department.name

    return make


CASES.update(
    {
        "load_calculation": Case(Role.HEAD_OF_DEPARTMENT, _department, _load_case("load_calculation")),
        "load_distribution": Case(Role.HEAD_OF_DEPARTMENT, _department, _load_case("load_distribution")),
        "teacher_plan": Case(Role.TEACHER, _department, _load_case("teacher_plan")),
        "load_execution_report": Case(
            Role.HEAD_OF_DEPARTMENT, _department, _load_case("load_execution_report")
        ),
    }
)
