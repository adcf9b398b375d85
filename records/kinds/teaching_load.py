"""Teaching load as registered documents: the load norms (a versioned, effective-dated policy), a
department's load calculation for an academic year, and its distribution to teachers.

- Norms: records.academics.teaching_load.LoadNorms plus ``effective_date``; the norms in force on
  1 September of a year govern that year's calculation (records.projections.teaching.norms_in_force).
- Calculation: the department and year are given; the lines are computed from the registered working
  curricula and the contingent when the draft is saved and again when it is frozen, each line naming
  its curriculum (number, semester), contingent count, norm item and value. Drafted by the head of
  department, approved and signed by the academic affairs office (vice-rector) after the head.
- Distribution: the head assigns each line of the registered calculation to teachers with a staff
  position in the department that year. A draft may be incomplete; a version sent on (submitted,
  registered) is refused while a line is unassigned or a teacher is over their limit (680 h × rate,
  or an hourly teacher's contracted hours). Registration drives who examines and what is due.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from records.academics.teaching_load import (
    CLASSROOM_KINDS,
    WORK_KINDS,
    LoadNorms,
    WorkKind,
    annual_limit,
    hours,
    totals_by_kind,
)
from records.errors import RecordsError
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.labels import FIELD_LABELS
from records.kinds.teaching_layout import Column, Table, label, table_layout
from records.models import OrgUnit, Person, StaffPosition
from records.models.org import Role
from records.projections.teaching import (
    CALCULATION_KIND,
    DISTRIBUTION_KIND,
    NORMS_KIND,
    compute_lines,
    department_cohorts,
    latest_in_force,
    line_data,
    norms_in_force,
    project_calculation,
    project_distribution,
    unproject_calculation,
    unproject_distribution,
    year_start,
)
from records.subjects import SubjectRef, code_ref

WORK_KIND_NAMES: dict[str, dict[str, str]] = {
    "lecture": label("Дәрістер", "Лекции", "Lectures"),
    "practical": label("Практикалық сабақтар", "Практические занятия", "Practical classes"),
    "laboratory": label("Зертханалық сабақтар", "Лабораторные занятия", "Laboratory classes"),
    "consultation": label("Кеңес беру", "Консультации", "Consultations"),
    "exam": label("Емтихан қабылдау", "Приём экзаменов", "Exams"),
    "midterm": label("Аралық бақылау", "Рубежный контроль", "Midterm control"),
    "coursework": label("Курстық жұмыстар", "Курсовые работы", "Coursework"),
    "practice": label("Практикаға жетекшілік", "Руководство практикой", "Practice supervision"),
    "thesis_supervision": label("Дипломдық жұмысқа жетекшілік", "Руководство ВКР", "Thesis supervision"),
    "thesis_review": label("Дипломдық жұмысқа пікір", "Рецензирование ВКР", "Thesis review"),
    "commission": label("МАК/ҚАК жұмысы", "Работа в ГАК/ИАК", "Attestation commissions"),
    "master_supervision": label(
        "Магистранттарға жетекшілік", "Руководство магистрантами", "Master's supervision"
    ),
    "doctoral_supervision": label(
        "Докторанттарға жетекшілік", "Руководство докторантами", "Doctoral supervision"
    ),
}
assert set(WORK_KIND_NAMES) == set(WORK_KINDS)
L = {
    "year": label("Оқу жылы", "Учебный год", "Academic year"),
    "department": label("Кафедра", "Кафедра", "Department"),
    "norms": label("Нормалар нұсқасы", "Версия норм", "Norms version"),
    "effective": label("Күшіне енетін күні", "Действуют с", "Effective from"),
    "total": label("Барлығы, сағ", "Всего, ч", "Total, h"),
    "term": label("Семестр", "Семестр", "Term"),
    "discipline": label("Пән", "Дисциплина", "Discipline"),
    "kind": label("Жұмыс түрі", "Вид работы", "Kind of work"),
    "groups": label("Топтар", "Группы", "Groups"),
    "students": label("Білім алушылар", "Обучающиеся", "Students"),
    "base": label("Негіз", "Основа", "Base"),
    "norm": label("Норма", "Норма", "Norm"),
    "hours": label("Сағат", "Часы", "Hours"),
    "curriculum": label("ЖОЖ", "РУП", "Curriculum"),
    "lines": label("Жүктеме жолдары", "Строки нагрузки", "Load lines"),
    "by_kind": label("Жұмыс түрлері бойынша", "По видам работы", "By kind of work"),
    "item": label("Көрсеткіш", "Показатель", "Item"),
    "value": label("Мәні", "Значение", "Value"),
    "calculation": label("Жүктеме есебі", "Расчёт нагрузки", "Load calculation"),
    "teacher": label("Оқытушы", "Преподаватель", "Teacher"),
    "limit": label("Шегі, сағ", "Предел, ч", "Limit, h"),
    "assigned": label("Бөлінді, сағ", "Распределено, ч", "Assigned, h"),
    "classroom": label("Аудиториялық, сағ", "Аудиторная, ч", "Classroom, h"),
    "position": label("Лауазым", "Ставка", "Position"),
    "balances": label("Оқытушылар бойынша баланс", "Баланс по преподавателям", "Balance per teacher"),
    "assignments": label("Бөлу", "Распределение", "Assignments"),
    "line": label("Жол", "Строка", "Line"),
}


def _kind_text(data: dict[str, Any], language: str) -> dict[str, str]:
    """The names of the kinds of work in `language` (templates print ``text[row.kind]``)."""
    return {kind: names[language] for kind, names in WORK_KIND_NAMES.items()}


def _department(code: str, org_unit: OrgUnit) -> OrgUnit:
    department = OrgUnit.objects.filter(code=code, kind=OrgUnit.Kind.DEPARTMENT).first()
    if department is None:
        raise RecordsError("unknown_department", _("There is no department %(department)s."), department=code)
    if org_unit.pk != department.pk:
        raise RecordsError(
            "wrong_unit",
            _("The teaching load of department %(department)s belongs to that department."),
            department=code,
        )
    return department


def _unit_subjects(data: dict[str, Any]) -> list[SubjectRef]:
    return code_ref("unit", data.get("department_code"))


# ----------------------------------------------------------------------------------------- norms


class LoadNormsData(LoadNorms):
    """Load norms and the date from which they apply."""

    effective_date: RecordDate


def _norm_rows(language: str) -> str:
    """The norms as a Jinja list of (label in `language`, value) pairs: each norm named in words, in the
    order of the schema, not by its field name."""
    names = [name for name in LoadNormsData.model_fields if name != "effective_date"]
    with translation.override(language):
        rows = [(str(FIELD_LABELS.get(name, name)).replace('"', "'"), name) for name in names]
    return "[" + ", ".join(f'("{text}", data.{name})' for text, name in rows) + "]"


def _norms_layout(kind: DocumentKind, language: str) -> bytes:
    return table_layout(
        kind,
        language,
        fields=[(L["effective"], "data.effective_date|date_{lang}")],
        tables=[
            Table(
                L["norms"],
                _norm_rows(language),
                (Column(L["item"], "row[0]"), Column(L["value"], "row[1]")),
            )
        ],
    )


LOAD_NORMS = register_kind(
    DocumentKind(
        code=NORMS_KIND,
        names={
            "kk": "Оқу жүктемесінің нормалары",
            "ru": "Нормы учебной нагрузки",
            "en": "Teaching load norms",
        },
        schema=LoadNormsData,
        series="НУН",
        number_format="{series}-{year}-{seq:03d}",
        creator_roles=frozenset({Role.REGISTRAR, Role.VICE_RECTOR}),
        approver_roles=frozenset({Role.VICE_RECTOR, Role.RECTOR}),
        revoker_roles=frozenset({Role.RECTOR}),
        signing_route=(RouteStep(code="rector", role=Role.RECTOR, label=_("Rector")),),
        retention_class="permanent",
        sample_data={"effective_date": "2026-09-01"},
        search_text=lambda document, version: str(version.data.get("effective_date", "")),
        layout=_norms_layout,
        template_languages=("kk", "ru", "en"),
    )
)


# ----------------------------------------------------------------------------------- calculation


class CalculationLine(BaseModel):
    """One computed line and what it was computed from."""

    key: str = Field(max_length=400)
    term: int = Field(ge=1, le=3)
    discipline_code: str = Field(max_length=40)
    discipline_name: str = Field(max_length=300)
    kind: WorkKind
    group_codes: list[str] = Field(max_length=50)
    students: int = Field(ge=0)
    units: int = Field(ge=0)
    base: Decimal
    norm_item: str = Field(max_length=50)
    norm_value: Decimal
    hours: Decimal
    curriculum_id: int | None = None
    curriculum_number: str = Field(default="", max_length=40)
    curriculum_semester: int | None = None


class LoadCalculationData(BaseModel):
    """A department's load for an academic year (the lines are computed, not typed)."""

    academic_year: int = Field(ge=2000, le=2999)
    department_code: str = Field(min_length=1, max_length=40)
    department_name: str = Field(default="", max_length=300)
    norms_version: str = Field(default="", max_length=40)
    lines: list[CalculationLine] = Field(default_factory=list, max_length=20_000)
    totals: dict[str, Decimal] = Field(default_factory=dict)
    total: Decimal = Decimal(0)


def compute_calculation(data: dict[str, Any], org_unit: OrgUnit) -> dict[str, Any]:
    """Compute the lines of the department's year from the registry (what the draft stores)."""
    year = int(data["academic_year"])
    department = _department(str(data["department_code"]), org_unit)
    norms, version = norms_in_force(year_start(year))
    lines = compute_lines(department_cohorts(year).get(department.code, []), norms)
    if not lines:
        raise RecordsError(
            "no_load",
            _(
                "Department %(department)s has no load in %(year)s: no registered working curriculum "
                "gives it a discipline of a group with students."
            ),
            department=department.code,
            year=year,
        )
    totals = totals_by_kind(lines)
    return {
        **data,
        "department_name": department.name_ru,
        "norms_version": version,
        "lines": [line_data(line) for line in lines],
        "totals": {kind: str(value) for kind, value in totals.items()},
        "total": str(hours(sum(totals.values(), Decimal(0)))),
    }


def _year_title(names: dict[str, str]) -> Any:
    def title(data: dict[str, Any], language: str) -> str:
        year = int(data.get("academic_year") or 0)
        name = data.get("department_name") or data.get("department_code", "")
        return f"{names[language]}: {name}, {year}–{year + 1}"

    return title


CALCULATION_NAMES = {
    "kk": "Кафедраның оқу жүктемесінің есебі",
    "ru": "Расчёт учебной нагрузки кафедры",
    "en": "Department teaching load calculation",
}
LINE_COLUMNS = (
    Column(L["term"], "row.term"),
    Column(L["discipline"], "row.discipline_code ~ ' ' ~ row.discipline_name"),
    Column(L["kind"], "text[row.kind]"),
    Column(L["groups"], "row.group_codes|join(', ')"),
    Column(L["students"], "row.students"),
    Column(L["base"], "row.base"),
    Column(L["norm"], "row.norm_value"),
    Column(L["hours"], "row.hours"),
    Column(
        L["curriculum"],
        "row.curriculum_number ~ (' / ' ~ row.curriculum_semester if row.curriculum_semester else '')",
    ),
)


def _calculation_layout(kind: DocumentKind, language: str) -> bytes:
    return table_layout(
        kind,
        language,
        fields=[
            (L["department"], "data.department_name or data.department_code"),
            (L["year"], "data.academic_year ~ '–' ~ (data.academic_year + 1)"),
            (L["norms"], "data.norms_version"),
            (L["total"], "data.total"),
        ],
        tables=[Table(L["lines"], "data.lines", LINE_COLUMNS)],
    )


LOAD_CALCULATION = register_kind(
    DocumentKind(
        code=CALCULATION_KIND,
        names=CALCULATION_NAMES,
        schema=LoadCalculationData,
        series="РУН",
        number_format="{series}-{year}-{seq:04d}",
        creator_roles=frozenset({Role.HEAD_OF_DEPARTMENT, Role.VICE_RECTOR}),
        approver_roles=frozenset({Role.VICE_RECTOR, Role.REGISTRAR}),
        revoker_roles=frozenset({Role.VICE_RECTOR, Role.RECTOR}),
        signing_route=(
            RouteStep(code="head", role=Role.HEAD_OF_DEPARTMENT, label=_("Head of department")),
            RouteStep(code="vice_rector", role=Role.VICE_RECTOR, label=_("Vice-rector")),
        ),
        retention_class="permanent",
        sample_data={"academic_year": 2026, "department_code": "dep"},
        project=project_calculation,
        unproject=unproject_calculation,
        search_text=lambda document, version: " ".join(
            sorted(
                {
                    f"{line['discipline_code']} {line['discipline_name']}"
                    for line in version.data.get("lines", [])
                }
            )
        ),
        validate_db=compute_calculation,
        subjects=_unit_subjects,
        text=_kind_text,
        text_keys=WORK_KINDS,
        title=_year_title(CALCULATION_NAMES),
        layout=_calculation_layout,
        template_languages=("kk", "ru", "en"),
    )
)


# ---------------------------------------------------------------------------------- distribution


class Assignment(BaseModel):
    """Hours of a line given to a teacher (all that is left of the line when no hours are given)."""

    line_key: str = Field(min_length=1, max_length=400)
    teacher_iin: str = Field(pattern=r"^\d{12}$")
    hours: Decimal | None = Field(default=None, ge=0, le=5000)
    # Copied from the calculation and the staff list when saved:
    term: int = 0
    discipline_code: str = ""
    discipline_name: str = ""
    kind: str = ""
    group_codes: list[str] = Field(default_factory=list)
    teacher_name: str = ""


class TeacherBalance(BaseModel):
    """A teacher's assigned hours against their limit."""

    teacher_iin: str
    teacher_name: str
    position: str
    limit: Decimal
    assigned: Decimal
    classroom: Decimal


class UnassignedLine(BaseModel):
    """Hours of a line no teacher carries yet."""

    line_key: str
    hours: Decimal


class LoadDistributionData(BaseModel):
    """The assignment of a registered calculation's lines to the department's teachers."""

    academic_year: int = Field(ge=2000, le=2999)
    department_code: str = Field(min_length=1, max_length=40)
    department_name: str = Field(default="", max_length=300)
    calculation_number: str = Field(default="", max_length=40)
    calculation_total: Decimal = Decimal(0)
    assignments: list[Assignment] = Field(default_factory=list, max_length=40_000)
    balances: list[TeacherBalance] = Field(default_factory=list)
    unassigned: list[UnassignedLine] = Field(default_factory=list)
    assigned_total: Decimal = Decimal(0)


def _positions(department: OrgUnit, year: int) -> dict[str, tuple[Person, Decimal, str, Decimal]]:
    """Per teacher IIN: the person, their limit, positions in words, and their rate in total."""
    norms, _version = norms_in_force(year_start(year))
    result: dict[str, tuple[Person, Decimal, str, Decimal]] = {}
    for position in StaffPosition.objects.filter(department=department, academic_year=year).select_related(
        "person"
    ):
        limit = annual_limit(
            kind=position.kind, rate=position.rate, contracted_hours=position.contracted_hours, norms=norms
        )
        words = f"{position.rate} {position.kind}" if position.kind != "hourly" else f"{limit} h hourly"
        person, total, text, rate = result.get(
            position.person.iin, (position.person, Decimal(0), "", Decimal(0))
        )
        result[position.person.iin] = (
            person,
            total + limit,
            f"{text}, {words}" if text else words,
            rate + position.rate,
        )
    return result


def distribute(data: dict[str, Any], org_unit: OrgUnit) -> dict[str, Any]:
    """Check the assignments against the registered calculation and the staff list; fill in each
    line's details, the hours of open-ended assignments, the balances and what is unassigned."""
    year = int(data["academic_year"])
    department = _department(str(data["department_code"]), org_unit)
    calculation = latest_in_force(CALCULATION_KIND, department.code, year)
    if calculation is None or calculation.current_version is None:
        raise RecordsError(
            "no_calculation",
            _("Register the load calculation of department %(department)s for %(year)s first."),
            department=department.code,
            year=year,
        )
    lines = {line["key"]: line for line in calculation.current_version.data.get("lines", [])}
    assignments = [dict(a) for a in data.get("assignments", [])]
    unknown = sorted({a["line_key"] for a in assignments} - set(lines))
    if unknown:
        raise RecordsError(
            "unknown_line",
            _("The calculation %(number)s has no line %(lines)s."),
            number=calculation.registry_number,
            lines=", ".join(unknown[:5]),
        )
    positions = _positions(department, year)
    strangers = sorted({a["teacher_iin"] for a in assignments} - set(positions))
    if strangers:
        names = dict(Person.objects.filter(iin__in=strangers).values_list("iin", "last_name_ru"))
        raise RecordsError(
            "no_position",
            _("%(teachers)s has no staff position in department %(department)s in %(year)s."),
            teachers=", ".join(f"{names.get(iin, '')} ({iin})".strip() for iin in strangers[:5]),
            department=department.code,
            year=year,
        )
    by_line: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for assignment in assignments:
        by_line[assignment["line_key"]].append(assignment)
    unassigned = []
    for key, line in lines.items():
        given = by_line.get(key, [])
        total = Decimal(line["hours"])
        fixed = sum((Decimal(a["hours"]) for a in given if a.get("hours") is not None), Decimal(0))
        if fixed > total:
            raise RecordsError(
                "line_over_assigned",
                _("Line %(line)s has %(hours)s h, but %(assigned)s h are assigned."),
                line=key,
                hours=total,
                assigned=hours(fixed),
            )
        open_ended = [a for a in given if a.get("hours") is None]
        left = total - fixed
        for index, assignment in enumerate(open_ended):
            share = (
                hours(left / len(open_ended))
                if index < len(open_ended) - 1
                else left - hours(left / len(open_ended)) * (len(open_ended) - 1)
            )
            assignment["hours"] = str(hours(share))
        if not open_ended and left > 0:
            unassigned.append({"line_key": key, "hours": str(hours(left))})
        for assignment in given:
            person = positions[assignment["teacher_iin"]][0]
            assignment.update(
                hours=str(hours(Decimal(assignment["hours"]))),
                term=line["term"],
                discipline_code=line["discipline_code"],
                discipline_name=line["discipline_name"],
                kind=line["kind"],
                group_codes=line["group_codes"],
                teacher_name=person.full_name("ru"),
            )
    balances = []
    for iin, (person, limit, words, _rate) in sorted(
        positions.items(), key=lambda p: p[1][0].full_name("ru")
    ):
        mine = [a for a in assignments if a["teacher_iin"] == iin]
        balances.append(
            {
                "teacher_iin": iin,
                "teacher_name": person.full_name("ru"),
                "position": words,
                "limit": str(limit),
                "assigned": str(hours(sum((Decimal(a["hours"]) for a in mine), Decimal(0)))),
                "classroom": str(
                    hours(
                        sum((Decimal(a["hours"]) for a in mine if a["kind"] in CLASSROOM_KINDS), Decimal(0))
                    )
                ),
            }
        )
    assigned_total = hours(sum((Decimal(a["hours"]) for a in assignments), Decimal(0)))
    return {
        **data,
        "department_name": department.name_ru,
        "calculation_number": calculation.registry_number,
        "calculation_total": calculation.current_version.data.get("total", "0"),
        "assignments": assignments,
        "balances": balances,
        "unassigned": unassigned,
        "assigned_total": str(assigned_total),
    }


def distribution_complete(data: dict[str, Any]) -> None:
    """Refuse a distribution sent on with a line unassigned or a teacher over their limit."""
    unassigned = data.get("unassigned") or []
    if unassigned:
        raise RecordsError(
            "lines_unassigned",
            _("%(count)s lines are not assigned to a teacher: %(lines)s."),
            count=len(unassigned),
            lines="; ".join(f"{u['line_key']} ({u['hours']} h)" for u in unassigned[:10]),
        )
    over = [b for b in data.get("balances") or [] if Decimal(b["assigned"]) > Decimal(b["limit"])]
    if over:
        raise RecordsError(
            "over_limit",
            _("Over the limit: %(teachers)s."),
            teachers="; ".join(
                f"{b['teacher_name']} ({b['teacher_iin']}): {b['assigned']} h > {b['limit']} h" for b in over
            ),
        )


DISTRIBUTION_NAMES = {
    "kk": "Оқу жүктемесін оқытушылар арасында бөлу",
    "ru": "Распределение учебной нагрузки между преподавателями",
    "en": "Distribution of teaching load to teachers",
}


def _distribution_layout(kind: DocumentKind, language: str) -> bytes:
    return table_layout(
        kind,
        language,
        fields=[
            (L["department"], "data.department_name or data.department_code"),
            (L["year"], "data.academic_year ~ '–' ~ (data.academic_year + 1)"),
            (L["calculation"], "data.calculation_number"),
            (L["total"], "data.assigned_total"),
        ],
        tables=[
            Table(
                L["balances"],
                "data.balances",
                (
                    Column(L["teacher"], "row.teacher_name"),
                    Column(L["position"], "row.position"),
                    Column(L["limit"], "row.limit"),
                    Column(L["assigned"], "row.assigned"),
                    Column(L["classroom"], "row.classroom"),
                ),
            ),
            Table(
                L["assignments"],
                "data.assignments",
                (
                    Column(L["teacher"], "row.teacher_name"),
                    Column(L["term"], "row.term"),
                    Column(L["discipline"], "row.discipline_code ~ ' ' ~ row.discipline_name"),
                    Column(L["kind"], "text[row.kind] if row.kind in text else row.kind"),
                    Column(L["groups"], "row.group_codes|join(', ')"),
                    Column(L["hours"], "row.hours"),
                ),
            ),
        ],
    )


LOAD_DISTRIBUTION = register_kind(
    DocumentKind(
        code=DISTRIBUTION_KIND,
        names=DISTRIBUTION_NAMES,
        schema=LoadDistributionData,
        series="РСН",
        number_format="{series}-{year}-{seq:04d}",
        creator_roles=frozenset({Role.HEAD_OF_DEPARTMENT, Role.VICE_RECTOR}),
        approver_roles=frozenset({Role.VICE_RECTOR, Role.REGISTRAR}),
        revoker_roles=frozenset({Role.VICE_RECTOR, Role.RECTOR}),
        signing_route=(
            RouteStep(code="head", role=Role.HEAD_OF_DEPARTMENT, label=_("Head of department")),
            RouteStep(code="vice_rector", role=Role.VICE_RECTOR, label=_("Vice-rector")),
        ),
        retention_class="permanent",
        sample_data={"academic_year": 2026, "department_code": "dep", "assignments": []},
        project=project_distribution,
        unproject=unproject_distribution,
        search_text=lambda document, version: " ".join(
            sorted({b["teacher_name"] for b in version.data.get("balances", [])})
        ),
        validate_db=distribute,
        check_complete=distribution_complete,
        subjects=_unit_subjects,
        text=_kind_text,
        text_keys=WORK_KINDS,
        title=_year_title(DISTRIBUTION_NAMES),
        layout=_distribution_layout,
        template_languages=("kk", "ru", "en"),
    )
)
