"""Transcript: produced on demand from the registered statements, rendered, signed by the registrar.

The author gives the student's IIN; the transcript data (every attempt in effect, the grade that
counts, GPA per term and cumulative) is filled from records.projections.transcript when the draft is
saved, so the registered version keeps exactly what was certified.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from doctemplates.filters import format_date
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.templates import transcript_layout
from records.models import Document, Version
from records.models.org import OrgUnit, Role
from records.projections.students import student_person
from records.projections.transcript import student_transcript
from records.subjects import student_refs


class TranscriptLine(BaseModel):
    """One attempt on the transcript."""

    term: str
    discipline_code: str
    discipline_name: str
    credits: int
    attempt: str
    final_percent: str | None = None
    letter: str
    points: str | None = None
    traditional_mark: int | None = None
    counts: bool
    statement: str


class TranscriptTerm(BaseModel):
    """GPA of one term."""

    term: str
    term_gpa: str | None = None
    term_credits: int
    cumulative_gpa: str | None = None
    cumulative_credits: int
    policy_version: str


class TranscriptData(BaseModel):
    """The data of a transcript; everything but the IIN and the date is filled on save."""

    student_iin: str = Field(pattern=r"^\d{12}$", description="IIN of the student")
    as_of: RecordDate
    student: dict[str, Any] = Field(default_factory=dict)
    lines: list[TranscriptLine] = Field(default_factory=list)
    terms: list[TranscriptTerm] = Field(default_factory=list)
    gpa: str | None = None
    credits_earned: int = 0


def _project(document: Document, version: Version) -> None:
    """On registration the transcript becomes a document about the student (who may then see it)."""
    if document.subject_id is None:
        person = student_person(str(version.data["student_iin"]))
        Document.objects.filter(pk=document.pk).update(subject=person)
        document.subject = person


def _fill(data: dict[str, Any], org_unit: OrgUnit) -> dict[str, Any]:
    person = student_person(str(data["student_iin"]))
    return {**data, **student_transcript(person)}


def transcript_title(data: dict[str, Any], language: str) -> str:
    """«Транскрипт: Ахметова Меруерт Сериковна, на 1 июля 2027 г.»."""
    names = {"kk": "Транскрипт", "ru": "Транскрипт", "en": "Transcript"}
    student = data.get("student") or {}
    name = student.get("name_en" if language == "en" else "name") or data.get("student_iin", "")
    as_of = {"kk": "{date} жағдай бойынша", "ru": "на {date}", "en": "as of {date}"}[language]
    try:
        when = as_of.format(date=format_date(data.get("as_of"), language))
    except ValueError:
        return f"{names[language]}: {name}"
    return f"{names[language]}: {name}, {when}"


TRANSCRIPT = register_kind(
    DocumentKind(
        layout=transcript_layout,
        code="transcript",
        names={"kk": "Транскрипт", "ru": "Транскрипт", "en": "Transcript"},
        schema=TranscriptData,
        series="ТР",
        number_format="{series}-{year}-{seq:06d}",
        creator_roles=frozenset({Role.REGISTRAR, Role.DEAN}),
        approver_roles=frozenset({Role.REGISTRAR, Role.DEAN}),
        revoker_roles=frozenset({Role.REGISTRAR}),
        signing_route=(RouteStep(code="registrar", role=Role.REGISTRAR, label=_("Registrar")),),
        retention_class="permanent",
        sample_data={
            "student_iin": "040515500128",
            "as_of": "2027-07-01",
            "student": {
                "name": "Серіков Нұрлан",
                "programme_code": "6B06101",
                "programme": "Информационные системы",
            },
            "lines": [
                {
                    "term": "2026/2027-1",
                    "discipline_code": "ICT1",
                    "discipline_name": "Информационно-коммуникационные технологии",
                    "credits": 5,
                    "attempt": "regular",
                    "final_percent": "94",
                    "letter": "A-",
                    "points": "3.67",
                    "traditional_mark": 5,
                    "counts": True,
                    "statement": "ВЕД-2027-000001",
                }
            ],
            "terms": [
                {
                    "term": "2026/2027-1",
                    "term_gpa": "3.67",
                    "term_credits": 5,
                    "cumulative_gpa": "3.67",
                    "cumulative_credits": 5,
                    "policy_version": "default",
                }
            ],
            "gpa": "3.67",
            "credits_earned": 5,
        },
        search_text=lambda document, version: str(version.data.get("student", {}).get("name", "")),
        validate_db=_fill,
        subjects=lambda data: student_refs([data.get("student_iin")]),
        project=_project,
        title=transcript_title,
    )
)
