"""Final attestation protocol: the commission, the date, and the grades of the thesis defence or
comprehensive exam. Every student must have been admitted to the final attestation by a registered
order; the score is graded by the policy in force on the date; registration writes the grades as
final-attestation lines of the students' records (and so their transcripts).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from records.academics.errors import score
from records.academics.grading import grade_for_percent
from records.errors import RecordsError
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.grade_statement import group_students, row_error, statement_subjects
from records.models import Document, StudyGroup, Version
from records.models.academic import GradeLine
from records.models.org import OrgUnit, Role
from records.projections import teaching_done
from records.projections.grades import line_person_ids, unproject_statement, write_lines
from records.projections.policy import policy_book
from records.projections.students import state_on

KIND = "final_attestation_protocol"


class ProtocolLine(BaseModel):
    """One student's grade; the computed columns are filled on save."""

    student_iin: str = Field(pattern=r"^\d{12}$")
    student_name: str = ""
    topic: str = Field(default="", max_length=500, description="Thesis topic")
    score: Decimal
    final_percent: Decimal | None = None
    letter: str = ""
    points: Decimal | None = None
    traditional: str = ""
    traditional_mark: int | None = None


class FinalAttestationData(BaseModel):
    """The data of a final attestation protocol."""

    form: Literal["thesis_defence", "comprehensive_exam"]
    discipline_code: str = Field(default="FA", min_length=1, max_length=40)
    discipline_name: str = Field(default="Итоговая аттестация", min_length=1, max_length=300)
    credits: int = Field(default=12, ge=1, le=60)
    group_code: str = Field(min_length=1, max_length=40)
    academic_year: int = Field(ge=1990, le=2999)
    period: int = Field(default=2, ge=1, le=3)
    date: RecordDate
    chair: str = Field(min_length=3, max_length=300, description="Chair of the commission")
    members: list[str] = Field(min_length=2, max_length=15, description="Members of the commission")
    lines: list[ProtocolLine] = Field(min_length=1, max_length=500)
    policy_version: str = ""


def compute_protocol(data: dict[str, Any], org_unit: OrgUnit | None = None) -> dict[str, Any]:
    """Check the protocol (students admitted, scores in range) and grade it; errors name the line."""
    group = StudyGroup.objects.filter(code=data["group_code"]).first()
    if group is None:
        raise RecordsError("unknown_group", _("There is no study group %(group)s."), group=data["group_code"])
    policy, version = policy_book().at(dt.date.fromisoformat(str(data["date"])))
    persons = group_students(data["lines"], group)
    # Admitted on the protocol's date (an admission order in force then, even if not yet today).

    held_on = dt.date.fromisoformat(str(data["date"]))
    admitted = {
        person.pk
        for person in persons
        if (state := state_on(person, held_on)).final_attestation_admitted and state.status == "enrolled"
    }
    lines = []
    for row, (person, line) in enumerate(zip(persons, data["lines"], strict=True), start=1):
        who = person.full_name()
        if person.pk not in admitted:
            raise row_error(row, who, str(_("the student is not admitted to the final attestation")))
        if (
            GradeLine.objects.filter(
                person=person,
                attempt_kind="final_attestation",
                discipline_code=data["discipline_code"],
                counts=True,
            )
            .exclude(letter__in=("FX", "F"))
            .exists()
        ):
            raise row_error(row, who, str(_("the student has already passed the final attestation")))
        try:
            value = score(line["score"], name=str(_("score")))
        except RecordsError as exc:
            raise row_error(row, who, exc.message) from exc
        grade = grade_for_percent(value, policy)
        lines.append(
            {
                **line,
                "student_name": who,
                "score": str(value),
                "final_percent": str(value),
                "letter": grade.letter,
                "points": str(grade.points),
                "traditional": grade.traditional.get("ru"),
                "traditional_mark": grade.traditional_mark,
            }
        )
    return {**data, "lines": lines, "policy_version": version}


def _project(document: Document, version: Version) -> None:
    data = {**version.data, "lines": [{**line, "exam": line["score"]} for line in version.data["lines"]]}
    write_lines(document, data, line_person_ids(data), attempt_kind="final_attestation")
    teaching_done.evidence_registered(document, version.data)  # the load's thesis and commission hours


def _unproject(document: Document, version: Version) -> None:
    unproject_statement(document, version)
    teaching_done.evidence_revoked(document, version.data)


FINAL_ATTESTATION = register_kind(
    DocumentKind(
        code=KIND,
        names={
            "kk": "Қорытынды аттестаттау хаттамасы",
            "ru": "Протокол итоговой аттестации",
            "en": "Final attestation protocol",
        },
        schema=FinalAttestationData,
        series="ИА",
        number_format="{series}-{year}-{seq:05d}",
        creator_roles=frozenset({Role.REGISTRAR, Role.DEAN, Role.HEAD_OF_DEPARTMENT}),
        approver_roles=frozenset({Role.DEAN, Role.REGISTRAR}),
        revoker_roles=frozenset({Role.REGISTRAR, Role.RECTOR}),
        signing_route=(
            RouteStep(code="dean", role=Role.DEAN, label=_("Dean")),
            RouteStep(code="registrar", role=Role.REGISTRAR, label=_("Registrar")),
        ),
        retention_class="permanent",
        sample_data={
            "form": "thesis_defence",
            "group_code": "6B06101-22-KK",
            "academic_year": 2025,
            "date": "2026-06-15",
            "chair": "Председатель ГАК",
            "members": ["Член ГАК 1", "Член ГАК 2"],
            "lines": [
                {
                    "student_iin": "040515500128",
                    "student_name": "Серіков Нұрлан",
                    "score": "96",
                    "letter": "A",
                }
            ],
        },
        project=_project,
        unproject=_unproject,
        search_text=lambda document, version: " ".join(
            str(line.get("student_name", "")) for line in version.data.get("lines", [])
        ),
        validate_db=compute_protocol,
        subjects=statement_subjects,
    )
)
