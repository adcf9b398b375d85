"""Coursework / course project statements and practice statements: graded works outside the exam.

Each names one group, a term and per student a score (0..100); on save the letter, points and
traditional grade are computed by the policy in force on the statement's date (the one grading scale
of records.academics.grading). Registered through the route of exam statements (teacher or
supervisor → head → registrar), each line becomes a GradeLine of attempt kind "coursework" or
"practice" (records.projections.grades.write_lines), so it shows in the transcript and counts in
GPA and the scholarship rule as the policy's ``counting`` rules say (records.academics.policy).
A coursework line is filed under the discipline's code with "-КР" (coursework) or "-КП" (course
project), so it never replaces the exam grade of the discipline; a practice under its own code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from doctemplates.defaults import Field as TemplateField
from doctemplates.defaults import build_template
from records.academics.grading import grade_for_percent
from records.academics.rounding import round_half_up
from records.errors import RecordsError
from records.journal.rating import check_mark
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.grade_statement import DOCUMENT_LANGUAGE, PERIOD_TEXT, YEAR_TEXT, group_students, row_error
from records.kinds.templates import LABELS, TABLE_MARKER, _number, _number_fields, _with_tables, layout_common
from records.models import Document, StudyGroup, Version
from records.models.academic import GradeLine
from records.models.org import OrgUnit, Role
from records.projections.base import replay_context
from records.projections.grades import line_person_ids, line_persons, unproject_statement, write_lines
from records.projections.policy import policy_book
from records.subjects import SubjectRef, code_ref, student_refs

COURSEWORK_KIND = "coursework_statement"
PRACTICE_KIND = "practice_statement"
WORK_SUFFIX = {"coursework": "-КР", "course_project": "-КП"}


class WorkLine(BaseModel):
    """One student's graded work; the computed columns are filled on save."""

    student_iin: str = Field(pattern=r"^\d{12}$")
    student_name: str = Field(default="", max_length=300)
    topic: str = Field(default="", max_length=500)
    place: str = Field(default="", max_length=300, description="Practice: the organisation")
    place_supervisor: str = Field(default="", max_length=300, description="Practice: supervisor on site")
    score: Decimal = Field(ge=0, le=100)
    final_percent: Decimal | None = None
    letter: str = Field(default="", max_length=4)
    points: Decimal | None = None
    traditional: str = Field(default="", max_length=60)
    traditional_mark: int | None = None


class WorkStatementBase(BaseModel):
    """What coursework and practice statements share."""

    credits: int = Field(ge=1, le=60)
    group_code: str = Field(min_length=1, max_length=40)
    academic_year: int = Field(ge=1990, le=2999)
    period: int = Field(ge=1, le=3)
    date: RecordDate
    supervisor: str = Field(min_length=3, max_length=300)
    lines: list[WorkLine] = Field(min_length=1, max_length=500)
    policy_version: str = Field(default="", max_length=40)


class CourseworkStatementData(WorkStatementBase):
    """A coursework or course project statement of a discipline."""

    discipline_code: str = Field(min_length=1, max_length=36)
    discipline_name: str = Field(min_length=1, max_length=250)
    work_kind: Literal["coursework", "course_project"] = "coursework"


class PracticeStatementData(WorkStatementBase):
    """A practice statement: the kind of practice, and per student the place and the grade."""

    practice_code: str = Field(min_length=1, max_length=40)
    practice_name: str = Field(min_length=1, max_length=300)
    practice_kind: Literal["educational", "production", "pedagogical", "research", "pre_diploma"]


def compute_work_statement(data: dict[str, Any], org_unit: OrgUnit | None = None) -> dict[str, Any]:
    """Check the students against the group; fill each line's grade from its score by the policy."""
    group = StudyGroup.objects.filter(code=data["group_code"]).first()
    if group is None:
        raise RecordsError("unknown_group", _("There is no study group %(group)s."), group=data["group_code"])
    policy, version = policy_book().at(dt.date.fromisoformat(str(data["date"])))
    persons = group_students(data["lines"], group)
    lines = []
    for row, (person, line) in enumerate(zip(persons, data["lines"], strict=True), start=1):
        try:
            score = round_half_up(
                check_mark(Decimal(str(line["score"])), policy), policy.rating.percent_places
            )
        except RecordsError as exc:
            raise row_error(row, person.full_name(), exc.message) from exc
        grade = grade_for_percent(score, policy)
        lines.append(
            {
                **line,
                "student_name": person.full_name(DOCUMENT_LANGUAGE),
                "score": str(score),
                "final_percent": str(score),
                "letter": grade.letter,
                "points": str(grade.points),
                "traditional": grade.traditional.get(DOCUMENT_LANGUAGE),
                "traditional_mark": grade.traditional_mark,
            }
        )
    return {**data, "lines": lines, "policy_version": version}


def grade_data(data: dict[str, Any], attempt_kind: str) -> dict[str, Any]:
    """The statement's data as the grade lines file it (code and name of the line, the grade columns)."""
    if attempt_kind == GradeLine.AttemptKind.COURSEWORK:
        code = str(data["discipline_code"]) + WORK_SUFFIX[str(data.get("work_kind") or "coursework")]
        name = f"{data['discipline_name']} ({WORK_NAMES[str(data.get('work_kind') or 'coursework')]['ru']})"
    else:
        code, name = str(data["practice_code"]), str(data["practice_name"])
    return {**data, "discipline_code": code, "discipline_name": name[:300]}


def _projector(attempt_kind: str) -> Any:
    def project(document: Document, version: Version) -> None:
        data = version.data
        person_ids = (
            line_person_ids(data) if replay_context() is not None else [p.pk for p in line_persons(data)]
        )
        write_lines(document, grade_data(data, attempt_kind), person_ids, attempt_kind=attempt_kind)

    return project


def work_subjects(data: dict[str, Any]) -> list[SubjectRef]:
    """The group and every student of the lines."""
    return [
        *code_ref("group", data.get("group_code")),
        *student_refs(line.get("student_iin") for line in data.get("lines", [])),
    ]


WORK_NAMES = {
    "coursework": {"kk": "курстық жұмыс", "ru": "курсовая работа", "en": "coursework"},
    "course_project": {"kk": "курстық жоба", "ru": "курсовой проект", "en": "course project"},
}
PRACTICE_NAMES = {
    "educational": {"kk": "оқу практикасы", "ru": "учебная практика", "en": "educational practice"},
    "production": {
        "kk": "өндірістік практика",
        "ru": "производственная практика",
        "en": "production practice",
    },
    "pedagogical": {
        "kk": "педагогикалық практика",
        "ru": "педагогическая практика",
        "en": "teaching practice",
    },
    "research": {"kk": "зерттеу практикасы", "ru": "исследовательская практика", "en": "research practice"},
    "pre_diploma": {
        "kk": "диплом алды практика",
        "ru": "преддипломная практика",
        "en": "pre-diploma practice",
    },
}


def work_text(data: dict[str, Any], language: str) -> dict[str, str]:
    """The term and the kind of work in words."""
    year, period = int(data.get("academic_year") or 0), int(data.get("period") or 0)
    term = YEAR_TEXT[language].format(start=year, end=year + 1)
    if period in PERIOD_TEXT:
        term += ", " + PERIOD_TEXT[period][language]
    if data.get("practice_kind"):
        work = PRACTICE_NAMES.get(str(data["practice_kind"]), PRACTICE_NAMES["educational"])[language]
    else:
        work = WORK_NAMES.get(str(data.get("work_kind") or "coursework"), WORK_NAMES["coursework"])[language]
    return {"term": term, "work": work}


COURSEWORK_NAMES = {
    "kk": "Курстық жұмыс (жоба) ведомосы",
    "ru": "Ведомость курсовой работы (проекта)",
    "en": "Coursework statement",
}
PRACTICE_STATEMENT_NAMES = {"kk": "Практика ведомосы", "ru": "Ведомость практики", "en": "Practice statement"}


def _title(names: dict[str, str]) -> Any:
    def title(data: dict[str, Any], language: str) -> str:
        words = work_text(data, language)
        group = {"kk": "{group} тобы", "ru": "группа {group}", "en": "group {group}"}[language]
        code = data.get("discipline_code") or data.get("practice_code") or ""
        name = data.get("discipline_name") or data.get("practice_name") or ""
        parts = [
            f"{code} {name}".strip(),
            words["work"],
            group.format(group=data.get("group_code", "")),
            words["term"],
        ]
        return f"{names[language]}: " + ", ".join(parts)

    return title


LABELS.update(
    {
        key: value
        for key, value in {
            "supervisor": {"kk": "Жетекші", "ru": "Руководитель", "en": "Supervisor"},
            "work": {"kk": "Жұмыс түрі", "ru": "Вид работы", "en": "Kind of work"},
            "topic": {"kk": "Тақырыбы", "ru": "Тема", "en": "Topic"},
            "place": {"kk": "Өту орны", "ru": "Место прохождения", "en": "Place"},
            "score": {"kk": "Балл, %", "ru": "Балл, %", "en": "Score, %"},
            "practice": {"kk": "Практика", "ru": "Практика", "en": "Practice"},
        }.items()
        if key not in LABELS
    }
)


def _layout(subject: str, columns: tuple[tuple[str, str], ...]) -> Any:
    def layout(kind: DocumentKind, language: str) -> bytes:
        docx = build_template(
            title=kind.names,
            fields=[
                *_number_fields(),
                TemplateField(LABELS[subject], subject_expression(subject)),
                TemplateField(LABELS["work"], "text.work"),
                TemplateField(LABELS["credits"], "data.credits"),
                TemplateField(LABELS["group"], "data.group_code"),
                TemplateField(LABELS["term"], "text.term"),
                TemplateField(LABELS["supervisor"], "data.supervisor"),
            ],
            body_expression=TABLE_MARKER + "0",
            **layout_common(kind, language),  # type: ignore[arg-type]
        )
        return _with_tables(docx, language, [("data.lines", columns)])

    return layout


def subject_expression(subject: str) -> str:
    """The Jinja expression of the statement's subject line (a discipline or a practice)."""
    if subject == "discipline":
        return "data.discipline_code ~ ' ' ~ data.discipline_name"
    return "data.practice_code ~ ' ' ~ data.practice_name"


GRADE_COLUMNS = (
    ("score", _number("item.score")),
    ("letter", "letter"),
    ("points", _number("item.points", 2)),
    ("traditional", "traditional_mark"),
)
COURSEWORK_COLUMNS = (("student", "student_name"), ("topic", "topic"), *GRADE_COLUMNS)
PRACTICE_COLUMNS = (("student", "student_name"), ("place", "place"), *GRADE_COLUMNS)


def _search_text(document: Any, version: Any) -> str:
    data = version.data
    names = " ".join(str(line.get("student_name", "")) for line in data.get("lines", []))
    code = data.get("discipline_code") or data.get("practice_code") or ""
    name = data.get("discipline_name") or data.get("practice_name") or ""
    return f"{code} {name} {data.get('group_code', '')} {names}"


ROUTE = (
    RouteStep(code="supervisor", role=Role.TEACHER, label=_("Supervisor")),
    RouteStep(code="head", role=Role.HEAD_OF_DEPARTMENT, label=_("Head of department")),
    RouteStep(code="registrar", role=Role.REGISTRAR, label=_("Registrar")),
)
SAMPLE_LINE = {
    "student_iin": "040515500128",
    "student_name": "Серіков Нұрлан",
    "topic": "Информационная система библиотеки",
    "place": "ТОО «Қазақтелеком»",
    "score": "91",
    "final_percent": "91",
    "letter": "A-",
    "points": "3.67",
    "traditional": "отлично",
    "traditional_mark": 5,
}
COMMON = {
    "creator_roles": frozenset({Role.TEACHER, Role.HEAD_OF_DEPARTMENT, Role.REGISTRAR}),
    "approver_roles": frozenset({Role.HEAD_OF_DEPARTMENT, Role.REGISTRAR, Role.DEAN}),
    "revoker_roles": frozenset({Role.REGISTRAR}),
    "signing_route": ROUTE,
    "retention_class": "permanent",
    "template_languages": ("kk", "ru", "en"),
    "validate_db": compute_work_statement,
    "subjects": work_subjects,
    "text": work_text,
    "text_keys": ("term", "work"),
    "search_text": _search_text,
    "unproject": unproject_statement,
}

COURSEWORK_STATEMENT = register_kind(
    DocumentKind(
        code=COURSEWORK_KIND,
        names=COURSEWORK_NAMES,
        schema=CourseworkStatementData,
        series="ВКР",
        layout=_layout("discipline", COURSEWORK_COLUMNS),
        title=_title(COURSEWORK_NAMES),
        project=_projector(GradeLine.AttemptKind.COURSEWORK),
        sample_data={
            "discipline_code": "ICT1",
            "discipline_name": "Информационно-коммуникационные технологии",
            "work_kind": "coursework",
            "credits": 1,
            "group_code": "6B06101-26-KK",
            "academic_year": 2026,
            "period": 1,
            "date": "2026-12-20",
            "supervisor": "Ахметов А. А.",
            "lines": [SAMPLE_LINE],
            "policy_version": "default",
        },
        **COMMON,  # type: ignore[arg-type]
    )
)
PRACTICE_STATEMENT = register_kind(
    DocumentKind(
        code=PRACTICE_KIND,
        names=PRACTICE_STATEMENT_NAMES,
        schema=PracticeStatementData,
        series="ВПР",
        layout=_layout("practice", PRACTICE_COLUMNS),
        title=_title(PRACTICE_STATEMENT_NAMES),
        project=_projector(GradeLine.AttemptKind.PRACTICE),
        sample_data={
            "practice_code": "PP2",
            "practice_name": "Производственная практика",
            "practice_kind": "production",
            "credits": 5,
            "group_code": "6B06101-26-KK",
            "academic_year": 2026,
            "period": 2,
            "date": "2027-06-20",
            "supervisor": "Ахметов А. А.",
            "lines": [SAMPLE_LINE],
            "policy_version": "default",
        },
        **COMMON,  # type: ignore[arg-type]
    )
)
