"""Exam grade statement (экзаменационная ведомость): one discipline, group and term.

Per student the two ratings and the exam score are entered (a rating registered in a РК statement of
the same discipline, group and term replaces what was typed: records.kinds.rating_statement); the admission rating, admission, final
percent, letter, points and traditional grade are computed by the academic policy in force on the
exam date (records.academics.rating.final_result) when the draft is saved, so the stored data holds
them with the policy version. A second statement for the same discipline, group and term must be
an amendment (with a reason, replacing lines of the statement it amends) or a retake (FX/F only).
Route: examiner → head of department → registrar.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field, model_validator

from records.academics.rating import final_result
from records.errors import RecordsError
from records.journal.registered import registered_ratings
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.templates import grade_statement_layout
from records.models import Person, StudyGroup
from records.models.academic import Student
from records.models.org import OrgUnit, Role
from records.projections.base import in_force
from records.projections.grades import (
    STATEMENT_KIND,
    check_statement_rules,
    exam_date,
    project_statement,
    unproject_statement,
)
from records.projections.policy import policy_book
from records.subjects import SubjectRef, code_ref, student_refs


class StatementLine(BaseModel):
    """One student's line; the computed columns are filled on save and ignored on input."""

    student_iin: str = Field(pattern=r"^\d{12}$")
    student_name: str = ""
    rating1: Decimal
    rating2: Decimal
    exam: Decimal | None = None
    admission_rating: Decimal | None = None
    admitted: bool | None = None
    not_admitted_reason: str = ""
    final_percent: Decimal | None = None
    letter: str = ""
    points: Decimal | None = None
    traditional: str = ""
    traditional_mark: int | None = None


class GradeStatementData(BaseModel):
    """The data of an exam grade statement."""

    discipline_code: str = Field(min_length=1, max_length=40)
    discipline_name: str = Field(min_length=1, max_length=300)
    credits: int = Field(ge=1, le=60)
    group_code: str = Field(min_length=1, max_length=40)
    academic_year: int = Field(ge=1990, le=2999, description="Start of the academic year (2024 for 2024/25)")
    period: int = Field(ge=1, le=3, description="1 autumn, 2 spring, 3 summer")
    exam_date: RecordDate
    examiner: str = Field(min_length=3, max_length=300)
    attempt_kind: Literal["regular", "retake", "amendment"] = "regular"
    amends_number: str = Field(default="", max_length=60, description="Number of the amended statement")
    reason: str = Field(default="", max_length=2000, description="Reason of an amendment")
    lines: list[StatementLine] = Field(min_length=1, max_length=500)
    policy_version: str = ""

    @model_validator(mode="after")
    def _amendment(self) -> GradeStatementData:
        if self.attempt_kind == "amendment" and (
            not self.amends_number.strip() or len(self.reason.strip()) < 3
        ):
            raise ValueError("an amendment needs the number of the amended statement and a reason")
        return self


def row_error(row: int, who: str, message: str) -> RecordsError:
    """An error naming the line (1-based) and the student."""
    return RecordsError(
        "bad_line", _("Line %(row)s (%(student)s): %(error)s"), row=row, student=who, error=message
    )


def group_students(lines: list[dict[str, Any]], group: StudyGroup) -> list[Person]:
    """The students of the lines, each checked: exists, listed once, in `group`; errors name the line."""
    iins = [str(line["student_iin"]) for line in lines]
    people = {p.iin: p for p in Person.objects.filter(iin__in=iins, kind=Person.Kind.STUDENT)}
    records = {s.person_id: s for s in Student.objects.filter(person__in=people.values())}
    seen: set[str] = set()
    persons: list[Person] = []
    for row, iin in enumerate(iins, start=1):
        person = people.get(iin)
        if person is None:
            raise row_error(row, iin, str(_("there is no student with this IIN")))
        who = person.full_name()
        if iin in seen:
            raise row_error(row, who, str(_("the student is listed twice")))
        seen.add(iin)
        record = records.get(person.pk)
        group_id = record.group_id if record is not None else person.group_id
        if group_id != group.pk:
            raise row_error(row, who, str(_("the student is not in group %(group)s")) % {"group": group.code})
        persons.append(person)
    return persons


def group_curriculum(group: StudyGroup) -> dict[str, Any] | None:
    """The data of the latest registered working curriculum of the group's programme and intake year."""
    found = None
    for document in in_force(["working_curriculum"]).select_related("current_version"):
        data = document.current_version.data if document.current_version else {}
        if (
            data.get("programme_code") == group.programme.code
            and data.get("intake_year") == group.intake_year
        ):
            found = data
    return found


def check_against_curriculum(data: dict[str, Any], group: StudyGroup) -> None:
    """With a registered curriculum, the discipline must be in it with these credits, in this term
    (a retake or amendment may concern an earlier term); without one nothing is checked."""
    curriculum = group_curriculum(group)
    if curriculum is None:
        return
    semester = (int(data["academic_year"]) - group.intake_year) * 2 + int(data["period"])
    for entry in curriculum["semesters"]:
        for discipline in entry["disciplines"]:
            if discipline["code"] != data["discipline_code"]:
                continue
            same_term = entry["number"] == semester
            earlier = data["attempt_kind"] != "regular" and entry["number"] <= semester
            if not (same_term or earlier or int(data["period"]) == 3):
                raise RecordsError(
                    "discipline_not_in_term",
                    _(
                        "Discipline %(discipline)s is in semester %(planned)s of the curriculum, not in semester %(semester)s."
                    ),
                    discipline=data["discipline_code"],
                    planned=entry["number"],
                    semester=semester,
                )
            if int(discipline["credits"]) != int(data["credits"]):
                raise RecordsError(
                    "credits_differ",
                    _(
                        "Discipline %(discipline)s has %(planned)s credits in the curriculum, not %(credits)s."
                    ),
                    discipline=data["discipline_code"],
                    planned=discipline["credits"],
                    credits=data["credits"],
                )
            return
    raise RecordsError(
        "discipline_not_in_curriculum",
        _("Discipline %(discipline)s is not in the working curriculum of group %(group)s."),
        discipline=data["discipline_code"],
        group=group.code,
    )


def statement_columns(
    rating1: Any, rating2: Any, exam: Any, policy: Any, language: str = "ru"
) -> dict[str, Any]:
    """The computed columns of one statement line, as stored: the one computation of a grade on its
    way in. The grid shows it as the teacher types (records.admin.grade_statements.compute_row),
    create and edit store it, and submit recomputes it with the same function (the policy in force may
    have changed since drafting). Raises RecordsError naming the problem."""
    result = final_result(rating1, rating2, exam, policy)
    grade = result.grade
    return {
        "rating1": str(result.rating1),
        "rating2": str(result.rating2),
        "exam": None if result.exam is None else str(result.exam),
        "admission_rating": str(result.admission_rating),
        "admitted": result.admitted,
        "not_admitted_reason": result.not_admitted_reason.message if result.not_admitted_reason else "",
        "final_percent": None if result.final_percent is None else str(result.final_percent),
        "letter": grade.letter if grade else "",
        "points": None if grade is None else str(grade.points),
        "traditional": str(grade.traditional.get(language)) if grade else "",
        "traditional_mark": grade.traditional_mark if grade else None,
    }


def compute_statement(data: dict[str, Any], org_unit: OrgUnit | None = None) -> dict[str, Any]:
    """Check a statement against the registry and fill its computed columns; errors name the line."""
    group = StudyGroup.objects.filter(code=data["group_code"]).first()
    if group is None:
        raise RecordsError("unknown_group", _("There is no study group %(group)s."), group=data["group_code"])
    check_against_curriculum(data, group)
    policy, version = policy_book().at(exam_date(data))
    persons = group_students(data["lines"], group)
    registered = registered_ratings(
        discipline_code=data["discipline_code"],
        group_code=data["group_code"],
        academic_year=int(data["academic_year"]),
        period=int(data["period"]),
    )
    lines = []
    for row, (person, line) in enumerate(zip(persons, data["lines"], strict=True), start=1):
        who = person.full_name()
        iin = person.iin
        written = person.full_name(DOCUMENT_LANGUAGE)  # the statement is in Russian whoever types it
        # A rating registered in a РК statement is the one that counts, whatever was typed.
        rating1 = registered.get(1, {}).get(iin, line["rating1"])
        rating2 = registered.get(2, {}).get(iin, line["rating2"])
        try:
            columns = statement_columns(rating1, rating2, line.get("exam"), policy)
        except RecordsError as exc:
            raise row_error(row, who, exc.message) from exc
        lines.append({"student_iin": iin, "student_name": written, **columns})
    check_statement_rules(data, persons, exclude_document_id=None)
    return {**data, "lines": lines, "policy_version": version}


def statement_subjects(data: dict[str, Any]) -> list[SubjectRef]:
    """The group and every student of the lines (a statement or a final attestation protocol)."""
    return [
        *code_ref("group", data.get("group_code")),
        *student_refs(line.get("student_iin") for line in data.get("lines", [])),
    ]


DOCUMENT_LANGUAGE = "ru"
ATTEMPT_TEXT = {
    "regular": {"kk": "негізгі", "ru": "основная", "en": "regular"},
    "retake": {"kk": "қайта тапсыру", "ru": "пересдача", "en": "retake"},
    "amendment": {"kk": "түзету", "ru": "исправление", "en": "amendment"},
}
PERIOD_TEXT = {
    1: {"kk": "күзгі семестр", "ru": "осенний семестр", "en": "autumn term"},
    2: {"kk": "көктемгі семестр", "ru": "весенний семестр", "en": "spring term"},
    3: {"kk": "жазғы семестр", "ru": "летний семестр", "en": "summer term"},
}
YEAR_TEXT = {
    "kk": "{start}/{end} оқу жылы",
    "ru": "{start}/{end} учебный год",
    "en": "academic year {start}/{end}",
}


def statement_text(data: dict[str, Any], language: str) -> dict[str, str]:
    """The statement's term and attempt in words: «2026/2027 учебный год, осенний семестр», «пересдача № …»."""
    year = int(data.get("academic_year") or 0)
    period = int(data.get("period") or 0)
    term = YEAR_TEXT[language].format(start=year, end=year + 1)
    if period in PERIOD_TEXT:
        term += ", " + PERIOD_TEXT[period][language]
    kind = str(data.get("attempt_kind") or "regular")
    attempt = ATTEMPT_TEXT.get(kind, ATTEMPT_TEXT["regular"])[language]
    amends = {
        "kk": "{number} ведомосын түзетеді",
        "ru": "к ведомости {number}",
        "en": "to statement {number}",
    }
    if data.get("amends_number"):
        attempt += " " + amends[language].format(number=data["amends_number"])
    if data.get("reason"):
        attempt += f" ({data['reason']})"
    return {"term": term, "attempt": attempt}


def statement_title(data: dict[str, Any], language: str) -> str:
    """«Экзаменационная ведомость: ICT1 Информатика, группа IS-24-1, 2026/2027 учебный год, осенний семестр»."""
    words = statement_text(data, language)
    group = {"kk": "{group} тобы", "ru": "группа {group}", "en": "group {group}"}[language]
    kind = str(data.get("attempt_kind") or "regular")
    parts = [
        f"{data.get('discipline_code', '')} {data.get('discipline_name', '')}".strip(),
        group.format(group=data.get("group_code", "")),
        words["term"],
    ]
    if kind != "regular":
        parts.append(ATTEMPT_TEXT[kind][language])
    return f"{GRADE_STATEMENT_NAMES[language]}: " + ", ".join(parts)


GRADE_STATEMENT_NAMES = {
    "kk": "Емтихан ведомосы",
    "ru": "Экзаменационная ведомость",
    "en": "Exam grade statement",
}


def _search_text(document: Any, version: Any) -> str:
    data = version.data
    names = " ".join(str(line.get("student_name", "")) for line in data.get("lines", []))
    return f"{data.get('discipline_code', '')} {data.get('discipline_name', '')} {data.get('group_code', '')} {names}"


GRADE_STATEMENT = register_kind(
    DocumentKind(
        layout=grade_statement_layout,
        code=STATEMENT_KIND,
        names=GRADE_STATEMENT_NAMES,
        schema=GradeStatementData,
        series="ВЕД",
        number_format="{series}-{year}-{seq:06d}",
        creator_roles=frozenset({Role.TEACHER, Role.HEAD_OF_DEPARTMENT, Role.REGISTRAR}),
        approver_roles=frozenset({Role.HEAD_OF_DEPARTMENT, Role.REGISTRAR, Role.DEAN}),
        revoker_roles=frozenset({Role.REGISTRAR}),
        signing_route=(
            RouteStep(code="examiner", role=Role.TEACHER, label=_("Examiner")),
            RouteStep(code="head", role=Role.HEAD_OF_DEPARTMENT, label=_("Head of department")),
            RouteStep(code="registrar", role=Role.REGISTRAR, label=_("Registrar")),
        ),
        retention_class="permanent",
        sample_data={
            "discipline_code": "ICT1",
            "discipline_name": "Информационно-коммуникационные технологии",
            "credits": 5,
            "group_code": "6B06101-26-KK",
            "academic_year": 2026,
            "period": 1,
            "exam_date": "2027-01-10",
            "examiner": "Ахметов А. А.",
            "lines": [
                {
                    "student_iin": "040515500128",
                    "student_name": "Серіков Нұрлан",
                    "rating1": "90",
                    "rating2": "96",
                    "exam": "95",
                    "admission_rating": "93",
                    "admitted": True,
                    "final_percent": "94",
                    "letter": "A-",
                    "points": "3.67",
                    "traditional": "отлично",
                    "traditional_mark": 5,
                }
            ],
            "policy_version": "default",
        },
        project=project_statement,
        unproject=unproject_statement,
        search_text=_search_text,
        validate_db=compute_statement,
        subjects=statement_subjects,
        text=statement_text,
        text_keys=("term", "attempt"),
        title=statement_title,
    )
)
