"""A teacher's individual plan and a department's semester execution report, as registered documents.

- Individual plan (ИП): the teacher's classroom and extracurricular hours per term as the registered
  distribution plans them (recomputed when saved), the actual hours as last taken from the execution,
  and the methodical, research, organisational and educational work the teacher enters (plan and
  actual). Drafted by the teacher (or the head), approved and signed by the head of department.
- Execution report: the plan and what was done per teacher and kind of work in a term, frozen as
  computed (records.services.teaching.execution_report_create); signed by the head of department.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from records.academics.teaching_load import CLASSROOM_KINDS, WORK_KINDS, hours
from records.errors import RecordsError
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.teaching_layout import Column, Table, label, table_layout
from records.kinds.teaching_load import WORK_KIND_NAMES, L, _department, _kind_text, _unit_subjects
from records.models import OrgUnit, Person, TeachingAssignment
from records.models.org import Role

PLAN_KIND = "teacher_plan"
EXECUTION_KIND = "load_execution_report"
SECTIONS = {
    "methodical": label("Оқу-әдістемелік жұмыс", "Учебно-методическая работа", "Methodical work"),
    "research": label("Ғылыми-зерттеу жұмысы", "Научно-исследовательская работа", "Research"),
    "organisational": label(
        "Ұйымдастыру-әдістемелік жұмыс", "Организационно-методическая работа", "Organisational work"
    ),
    "educational": label(
        "Тәрбие және қоғамдық жұмыс", "Воспитательная и общественная работа", "Educational work"
    ),
}
P = {
    "planned": label("Жоспар, сағ", "План, ч", "Plan, h"),
    "actual": label("Нақты, сағ", "Факт, ч", "Actual, h"),
    "done": label("Орындалды, сағ", "Выполнено, ч", "Done, h"),
    "section": label("Бөлім", "Раздел", "Section"),
    "work": label("Жұмыс", "Работа", "Work"),
    "teaching": label("Оқу жұмысы", "Учебная работа", "Teaching"),
    "other": label("Басқа жұмыс", "Другая работа", "Other work"),
    "semester": label("Семестр", "Семестр", "Semester"),
    "distribution": label("Бөлу", "Распределение", "Distribution"),
    "execution": label("Орындалуы", "Выполнение", "Execution"),
    "where": label("Түрі", "Вид", "Type"),
    "classroom": label("аудиториялық", "аудиторная", "classroom"),
    "extracurricular": label("аудиториядан тыс", "внеаудиторная", "extracurricular"),
}


def _text(data: dict[str, Any], language: str) -> dict[str, str]:
    return {
        **_kind_text(data, language),
        **{f"section_{k}": v[language] for k, v in SECTIONS.items()},
        "classroom": P["classroom"][language],
        "extracurricular": P["extracurricular"][language],
    }


TEXT_KEYS = (*WORK_KINDS, *(f"section_{k}" for k in SECTIONS), "classroom", "extracurricular")


class PlanRow(BaseModel):
    """Hours of one kind of work in one term: planned by the distribution, actually done."""

    term: int = Field(ge=1, le=2)
    kind: str = Field(max_length=30)
    classroom: bool = False
    planned: Decimal = Decimal(0)
    actual: Decimal = Field(default=Decimal(0), ge=0, le=5000)


class OtherWork(BaseModel):
    """Methodical, research, organisational or educational work the teacher plans and reports."""

    section: Literal["methodical", "research", "organisational", "educational"]
    title: str = Field(min_length=1, max_length=300)
    term: int = Field(ge=1, le=2)
    planned: Decimal = Field(ge=0, le=2000)
    actual: Decimal = Field(default=Decimal(0), ge=0, le=2000)


class TeacherPlanData(BaseModel):
    """A teacher's individual plan of an academic year."""

    academic_year: int = Field(ge=2000, le=2999)
    department_code: str = Field(min_length=1, max_length=40)
    teacher_iin: str = Field(pattern=r"^\d{12}$")
    teacher_name: str = Field(default="", max_length=300)
    rows: list[PlanRow] = Field(default_factory=list, max_length=100)
    other_work: list[OtherWork] = Field(default_factory=list, max_length=200)
    planned_total: Decimal = Decimal(0)
    actual_total: Decimal = Decimal(0)


def plan_rows(data: dict[str, Any], org_unit: OrgUnit) -> dict[str, Any]:
    """The teaching rows from the registered distribution (actuals kept from the data), the totals."""
    department = _department(str(data["department_code"]), org_unit)
    teacher = Person.objects.filter(iin=data["teacher_iin"], kind=Person.Kind.STAFF).first()
    if teacher is None:
        raise RecordsError(
            "unknown_teacher", _("There is no teacher with IIN %(iin)s."), iin=data["teacher_iin"]
        )
    year = int(data["academic_year"])
    planned: dict[tuple[int, str], Decimal] = {}
    for term, kind, value in TeachingAssignment.objects.filter(
        department_code=department.code, academic_year=year, teacher=teacher
    ).values_list("term", "kind", "hours"):
        planned[(term, kind)] = planned.get((term, kind), Decimal(0)) + value
    actual = {
        (int(r["term"]), str(r["kind"])): Decimal(str(r.get("actual") or 0)) for r in data.get("rows", [])
    }
    order = {kind: index for index, kind in enumerate(WORK_KINDS)}
    rows: list[dict[str, Any]] = [
        {
            "term": term,
            "kind": kind,
            "classroom": kind in CLASSROOM_KINDS,
            "planned": str(hours(value)),
            "actual": str(hours(actual.get((term, kind), Decimal(0)))),
        }
        for (term, kind), value in sorted(
            planned.items(), key=lambda item: (item[0][0], order.get(item[0][1], 99))
        )
    ]
    other = data.get("other_work", [])
    planned_total = sum((Decimal(r["planned"]) for r in rows), Decimal(0)) + sum(
        (Decimal(str(w["planned"])) for w in other), Decimal(0)
    )
    actual_total = sum((Decimal(r["actual"]) for r in rows), Decimal(0)) + sum(
        (Decimal(str(w.get("actual") or 0)) for w in other), Decimal(0)
    )
    return {
        **data,
        "teacher_name": teacher.full_name("ru"),
        "rows": rows,
        "planned_total": str(hours(planned_total)),
        "actual_total": str(hours(actual_total)),
    }


PLAN_NAMES = {
    "kk": "Оқытушының жеке жоспары",
    "ru": "Индивидуальный план преподавателя",
    "en": "Individual teacher plan",
}


def _plan_title(data: dict[str, Any], language: str) -> str:
    year = int(data.get("academic_year") or 0)
    return f"{PLAN_NAMES[language]}: {data.get('teacher_name') or data.get('teacher_iin')}, {year}–{year + 1}"


def _plan_layout(kind: DocumentKind, language: str) -> bytes:
    return table_layout(
        kind,
        language,
        fields=[
            (L["teacher"], "data.teacher_name"),
            (L["department"], "data.department_code"),
            (L["year"], "data.academic_year ~ '–' ~ (data.academic_year + 1)"),
            (P["planned"], "data.planned_total"),
            (P["actual"], "data.actual_total"),
        ],
        tables=[
            Table(
                P["teaching"],
                "data.rows",
                (
                    Column(P["semester"], "row.term"),
                    Column(L["kind"], "text[row.kind] if row.kind in text else row.kind"),
                    Column(P["where"], "text['classroom'] if row.classroom else text['extracurricular']"),
                    Column(P["planned"], "row.planned"),
                    Column(P["actual"], "row.actual"),
                ),
            ),
            Table(
                P["other"],
                "data.other_work",
                (
                    Column(P["section"], "text['section_' ~ row.section]"),
                    Column(P["work"], "row.title"),
                    Column(P["semester"], "row.term"),
                    Column(P["planned"], "row.planned"),
                    Column(P["actual"], "row.actual"),
                ),
            ),
        ],
    )


TEACHER_PLAN = register_kind(
    DocumentKind(
        code=PLAN_KIND,
        names=PLAN_NAMES,
        schema=TeacherPlanData,
        series="ИПП",
        number_format="{series}-{year}-{seq:05d}",
        creator_roles=frozenset({Role.TEACHER, Role.HEAD_OF_DEPARTMENT}),
        approver_roles=frozenset({Role.HEAD_OF_DEPARTMENT}),
        revoker_roles=frozenset({Role.HEAD_OF_DEPARTMENT, Role.VICE_RECTOR}),
        signing_route=(RouteStep(code="head", role=Role.HEAD_OF_DEPARTMENT, label=_("Head of department")),),
        retention_class="10y",
        sample_data={"academic_year": 2026, "department_code": "dep", "teacher_iin": "000000000000"},
        search_text=lambda document, version: str(version.data.get("teacher_name", "")),
        validate_db=plan_rows,
        subjects=_unit_subjects,
        text=_text,
        text_keys=TEXT_KEYS,
        title=_plan_title,
        layout=_plan_layout,
        template_languages=("kk", "ru", "en"),
    )
)


class ExecutionRow(BaseModel):
    """A teacher's planned and done hours of one kind of work in the term."""

    teacher_iin: str = Field(pattern=r"^\d{12}$")
    teacher_name: str = Field(max_length=300)
    kind: str = Field(max_length=30)
    planned: Decimal = Field(ge=0)
    done: Decimal = Field(ge=0)


class ExecutionReportData(BaseModel):
    """The execution of a department's teaching load in a term, as computed when drafted."""

    academic_year: int = Field(ge=2000, le=2999)
    semester: int = Field(ge=1, le=2)
    department_code: str = Field(min_length=1, max_length=40)
    department_name: str = Field(default="", max_length=300)
    distribution_number: str = Field(default="", max_length=40)
    rows: list[ExecutionRow] = Field(default_factory=list, max_length=5000)
    planned_total: Decimal = Decimal(0)
    done_total: Decimal = Decimal(0)


def _execution_check(data: dict[str, Any], org_unit: OrgUnit) -> dict[str, Any]:
    _department(str(data["department_code"]), org_unit)
    return data


EXECUTION_NAMES = {
    "kk": "Оқу жүктемесінің орындалуы туралы есеп",
    "ru": "Отчёт о выполнении учебной нагрузки",
    "en": "Teaching load execution report",
}


def _execution_title(data: dict[str, Any], language: str) -> str:
    year = int(data.get("academic_year") or 0)
    name = data.get("department_name") or data.get("department_code", "")
    return f"{EXECUTION_NAMES[language]}: {name}, {year}–{year + 1}, {data.get('semester')}"


def _execution_layout(kind: DocumentKind, language: str) -> bytes:
    return table_layout(
        kind,
        language,
        fields=[
            (L["department"], "data.department_name or data.department_code"),
            (L["year"], "data.academic_year ~ '–' ~ (data.academic_year + 1)"),
            (P["semester"], "data.semester"),
            (P["distribution"], "data.distribution_number"),
            (P["planned"], "data.planned_total"),
            (P["done"], "data.done_total"),
        ],
        tables=[
            Table(
                P["execution"],
                "data.rows",
                (
                    Column(L["teacher"], "row.teacher_name"),
                    Column(L["kind"], "text[row.kind] if row.kind in text else row.kind"),
                    Column(P["planned"], "row.planned"),
                    Column(P["done"], "row.done"),
                ),
            )
        ],
    )


EXECUTION_REPORT = register_kind(
    DocumentKind(
        code=EXECUTION_KIND,
        names=EXECUTION_NAMES,
        schema=ExecutionReportData,
        series="ВУН",
        number_format="{series}-{year}-{seq:04d}",
        creator_roles=frozenset({Role.HEAD_OF_DEPARTMENT, Role.VICE_RECTOR}),
        approver_roles=frozenset({Role.DEAN, Role.VICE_RECTOR}),
        revoker_roles=frozenset({Role.VICE_RECTOR, Role.RECTOR}),
        signing_route=(RouteStep(code="head", role=Role.HEAD_OF_DEPARTMENT, label=_("Head of department")),),
        retention_class="permanent",
        sample_data={"academic_year": 2026, "semester": 1, "department_code": "dep"},
        search_text=lambda document, version: " ".join(
            sorted({row["teacher_name"] for row in version.data.get("rows", [])})
        ),
        validate_db=_execution_check,
        subjects=_unit_subjects,
        text=_kind_text,
        text_keys=WORK_KINDS,
        title=_execution_title,
        layout=_execution_layout,
        template_languages=("kk", "ru", "en"),
    )
)

assert set(WORK_KIND_NAMES) == set(WORK_KINDS)
