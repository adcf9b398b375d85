"""Rating statement (рейтинговая ведомость, РК1 / РК2): a half-semester's ratings of one discipline and group.

Drafted from the electronic journal at the end of each half-semester (records.services.journal_rating):
per student the current-control mark ТК, the midterm-control mark РК, the rating Р = the policy's
weights of the two (records.journal.rating) and the attendance counts. On save the rating is
recomputed from ТК and РК by the policy in force on the statement's date, so a typed rating cannot
disagree with its parts. Registered through the route of exam statements (teacher → head →
registrar); the exam statement of the same discipline, group and term then takes its rating columns
from the registered РК statements (records.kinds.grade_statement.compute_statement).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from doctemplates.defaults import Field as TemplateField
from doctemplates.defaults import build_template
from records.academics.rounding import round_half_up
from records.errors import RecordsError
from records.journal.rating import check_mark
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.grade_statement import DOCUMENT_LANGUAGE, PERIOD_TEXT, YEAR_TEXT, group_students, row_error
from records.kinds.templates import LABELS, TABLE_MARKER, _number, _number_fields, _with_tables, layout_common
from records.models import Document, StudyGroup, Version
from records.models.org import OrgUnit, Role
from records.projections import teaching_done
from records.projections.policy import policy_book
from records.subjects import SubjectRef, code_ref, student_refs

KIND = "rating_statement"


class RatingLine(BaseModel):
    """One student's half-semester: ТК, РК, Р (computed) and attendance."""

    student_iin: str = Field(pattern=r"^\d{12}$")
    student_name: str = ""
    current: Decimal = Field(ge=0, le=100)
    midterm: Decimal = Field(ge=0, le=100)
    rating: Decimal | None = None
    present: int = Field(default=0, ge=0, le=500)
    absent: int = Field(default=0, ge=0, le=500)
    excused: int = Field(default=0, ge=0, le=500)


class RatingStatementData(BaseModel):
    """The data of a rating statement."""

    discipline_code: str = Field(min_length=1, max_length=40)
    discipline_name: str = Field(min_length=1, max_length=300)
    credits: int = Field(ge=1, le=60)
    group_code: str = Field(min_length=1, max_length=40)
    academic_year: int = Field(ge=1990, le=2999)
    period: int = Field(ge=1, le=2)
    control: Literal[1, 2] = Field(description="1: РК1, the first half-semester; 2: РК2")
    date: RecordDate
    teacher: str = Field(min_length=3, max_length=300)
    lines: list[RatingLine] = Field(min_length=1, max_length=500)
    policy_version: str = ""


def compute_rating_statement(data: dict[str, Any], org_unit: OrgUnit | None = None) -> dict[str, Any]:
    """Check the students against the group and recompute each rating from ТК and РК by the policy."""
    group = StudyGroup.objects.filter(code=data["group_code"]).first()
    if group is None:
        raise RecordsError("unknown_group", _("There is no study group %(group)s."), group=data["group_code"])
    policy, version = policy_book().at(dt.date.fromisoformat(str(data["date"])))
    persons = group_students(data["lines"], group)
    rules, places = policy.journal, policy.rating.percent_places
    lines = []
    for row, (person, line) in enumerate(zip(persons, data["lines"], strict=True), start=1):
        try:
            current = check_mark(Decimal(str(line["current"])), policy)
            midterm = check_mark(Decimal(str(line["midterm"])), policy)
        except RecordsError as exc:
            raise row_error(row, person.full_name(), exc.message) from exc
        current, midterm = round_half_up(current, places), round_half_up(midterm, places)
        rating = round_half_up(rules.current_weight * current + rules.midterm_weight * midterm, places)
        lines.append(
            {
                **line,
                "student_name": person.full_name(DOCUMENT_LANGUAGE),
                "current": str(current),
                "midterm": str(midterm),
                "rating": str(rating),
            }
        )
    return {**data, "lines": lines, "policy_version": version}


def rating_subjects(data: dict[str, Any]) -> list[SubjectRef]:
    """The group and every student of the lines."""
    return [
        *code_ref("group", data.get("group_code")),
        *student_refs(line.get("student_iin") for line in data.get("lines", [])),
    ]


NAMES = {"kk": "Рейтинг ведомосы", "ru": "Рейтинговая ведомость", "en": "Rating statement"}
CONTROL = {"kk": "АБ{n}", "ru": "РК{n}", "en": "MC{n}"}


def rating_text(data: dict[str, Any], language: str) -> dict[str, str]:
    """The term and the control in words: «2024/2025 учебный год, осенний семестр», «РК1»."""
    year, period = int(data.get("academic_year") or 0), int(data.get("period") or 0)
    term = YEAR_TEXT[language].format(start=year, end=year + 1)
    if period in PERIOD_TEXT:
        term += ", " + PERIOD_TEXT[period][language]
    return {"term": term, "control": CONTROL[language].format(n=data.get("control", ""))}


def rating_title(data: dict[str, Any], language: str) -> str:
    """«Рейтинговая ведомость РК1: ICT1 Информатика, группа IS-24-1, 2024/2025 учебный год, осенний семестр»."""
    words = rating_text(data, language)
    group = {"kk": "{group} тобы", "ru": "группа {group}", "en": "group {group}"}[language]
    parts = [
        f"{data.get('discipline_code', '')} {data.get('discipline_name', '')}".strip(),
        group.format(group=data.get("group_code", "")),
        words["term"],
    ]
    return f"{NAMES[language]} {words['control']}: " + ", ".join(parts)


COLUMN_LABELS = {
    "current": {"kk": "АБ (ағымдағы)", "ru": "ТК", "en": "Current"},
    "midterm": {"kk": "Аралық бақылау", "ru": "РК", "en": "Midterm"},
    "rating": {"kk": "Рейтинг", "ru": "Рейтинг", "en": "Rating"},
    "present": {"kk": "Қатысты", "ru": "Был", "en": "Present"},
    "absent": {"kk": "Жоқ", "ru": "Н", "en": "Absent"},
    "excused": {"kk": "Себепті", "ru": "Уваж.", "en": "Excused"},
    "control": {"kk": "Бақылау", "ru": "Контроль", "en": "Control"},
    "teacher": {"kk": "Оқытушы", "ru": "Преподаватель", "en": "Teacher"},
}
LABELS.update({key: value for key, value in COLUMN_LABELS.items() if key not in LABELS})
COLUMNS = (
    ("student", "student_name"),
    ("current", _number("item.current")),
    ("midterm", _number("item.midterm")),
    ("rating", _number("item.rating")),
    ("present", "present"),
    ("absent", "absent"),
    ("excused", "excused"),
)


def rating_statement_layout(kind: DocumentKind, language: str) -> bytes:
    """A rating statement: the discipline, the control and term, then the table of students."""
    docx = build_template(
        title=kind.names,
        fields=[
            *_number_fields(),
            TemplateField(LABELS["discipline"], "data.discipline_code ~ ' ' ~ data.discipline_name"),
            TemplateField(LABELS["group"], "data.group_code"),
            TemplateField(LABELS["term"], "text.term"),
            TemplateField(LABELS["control"], "text.control"),
            TemplateField(LABELS["teacher"], "data.teacher"),
        ],
        body_expression=TABLE_MARKER + "0",
        **layout_common(kind, language),  # type: ignore[arg-type]
    )
    return _with_tables(docx, language, [("data.lines", COLUMNS)])


def _search_text(document: Any, version: Any) -> str:
    data = version.data
    names = " ".join(str(line.get("student_name", "")) for line in data.get("lines", []))
    return f"{data.get('discipline_code', '')} {data.get('discipline_name', '')} {data.get('group_code', '')} {names}"


def _project(document: Document, version: Version) -> None:
    """The teaching load counts the discipline's statement hours of the group and term as done."""
    teaching_done.evidence_registered(document, version.data)


def _unproject(document: Document, version: Version) -> None:
    teaching_done.evidence_revoked(document, version.data)


RATING_STATEMENT = register_kind(
    DocumentKind(
        layout=rating_statement_layout,
        template_languages=("kk", "ru", "en"),
        code=KIND,
        names=NAMES,
        schema=RatingStatementData,
        series="РВ",
        number_format="{series}-{year}-{seq:06d}",
        creator_roles=frozenset({Role.TEACHER, Role.HEAD_OF_DEPARTMENT, Role.REGISTRAR}),
        approver_roles=frozenset({Role.HEAD_OF_DEPARTMENT, Role.REGISTRAR, Role.DEAN}),
        revoker_roles=frozenset({Role.REGISTRAR}),
        signing_route=(
            RouteStep(code="teacher", role=Role.TEACHER, label=_("Teacher")),
            RouteStep(code="head", role=Role.HEAD_OF_DEPARTMENT, label=_("Head of department")),
            RouteStep(code="registrar", role=Role.REGISTRAR, label=_("Registrar")),
        ),
        retention_class="permanent",
        project=_project,
        unproject=_unproject,
        sample_data={
            "discipline_code": "ICT1",
            "discipline_name": "Информационно-коммуникационные технологии",
            "credits": 5,
            "group_code": "6B06101-26-KK",
            "academic_year": 2026,
            "period": 1,
            "control": 1,
            "date": "2026-10-17",
            "teacher": "Ахметов А. А.",
            "lines": [
                {
                    "student_iin": "040515500128",
                    "student_name": "Серіков Нұрлан",
                    "current": "88",
                    "midterm": "80",
                    "rating": "84",
                    "present": 12,
                    "absent": 1,
                    "excused": 1,
                }
            ],
            "policy_version": "default",
        },
        search_text=_search_text,
        validate_db=compute_rating_statement,
        subjects=rating_subjects,
        text=rating_text,
        text_keys=("term", "control"),
        title=rating_title,
    )
)
