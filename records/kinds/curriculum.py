"""Working curriculum (РУП) of a programme and intake year, checked against the policy.

Semesters list their disciplines with credits, cycle, component, form of final control and hours by
type. On save the curriculum is checked with records.academics.curriculum.check_curriculum by the
policy in force on 1 September of the intake year and the programme's degree total: errors refuse
it (naming the semester and discipline), warnings are stored with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from records.academics.curriculum import DisciplineLine, check_curriculum
from records.errors import RecordsError
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.models import Programme
from records.models.org import OrgUnit, Role
from records.projections.policy import policy_book
from records.subjects import code_ref


class CurriculumDiscipline(BaseModel):
    """One discipline of a semester."""

    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=300)
    credits: int = Field(ge=1, le=60)
    cycle: Literal["general", "basic", "major"]
    component: Literal["compulsory", "university", "elective"]
    control_form: Literal["exam", "coursework", "practice", "final_attestation"] = "exam"
    hours: dict[str, int] = Field(
        default_factory=dict, description="Hours by type: lecture, practical, lab, self"
    )
    department_code: str = Field(
        default="", max_length=40, description="The department that teaches it (empty: the programme's)"
    )


class CurriculumSemester(BaseModel):
    """One semester (1-based, in order)."""

    number: int = Field(ge=1, le=16)
    disciplines: list[CurriculumDiscipline] = Field(min_length=1)


class CurriculumData(BaseModel):
    """The data of a working curriculum."""

    programme_code: str = Field(min_length=1, max_length=20)
    intake_year: int = Field(ge=1990, le=2999)
    semesters: list[CurriculumSemester] = Field(min_length=1, max_length=16)
    warnings: list[str] = Field(default_factory=list)
    policy_version: str = ""


def check_working_curriculum(data: dict[str, Any], org_unit: OrgUnit | None = None) -> dict[str, Any]:
    """Refuse a curriculum that breaks the policy (every error listed, each naming where); keep warnings."""
    programme = Programme.objects.filter(code=data["programme_code"]).first()
    if programme is None:
        raise RecordsError(
            "unknown_programme", _("There is no programme %(programme)s."), programme=data["programme_code"]
        )
    numbers = [semester["number"] for semester in data["semesters"]]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RecordsError("bad_semesters", _("Semesters must be numbered 1, 2, 3, … in order."))
    policy, version = policy_book().at(dt.date(int(data["intake_year"]), 9, 1))
    semesters = [
        [
            DisciplineLine(
                code=line["code"],
                credits=line["credits"],
                cycle=line["cycle"],
                component=line["component"],
                control_form=line["control_form"],
            )
            for line in semester["disciplines"]
        ]
        for semester in data["semesters"]
    ]
    problems = check_curriculum(semesters, policy, degree_total=programme.credits_total)

    def where(problem: Any) -> str:
        parts = []
        if problem.semester is not None:
            parts.append(str(_("semester %(number)s")) % {"number": problem.semester})
        if problem.discipline:
            parts.append(problem.discipline)
        return (", ".join(parts) + ": " if parts else "") + problem.message

    errors = [where(problem) for problem in problems if problem.is_error]
    if errors:
        raise RecordsError("curriculum_breaks_policy", "%(problems)s", problems="; ".join(errors))
    return {**data, "warnings": [where(p) for p in problems if not p.is_error], "policy_version": version}


WORKING_CURRICULUM = register_kind(
    DocumentKind(
        code="working_curriculum",
        names={"kk": "Жұмыс оқу жоспары", "ru": "Рабочий учебный план", "en": "Working curriculum"},
        schema=CurriculumData,
        series="РУП",
        number_format="{series}-{year}-{seq:04d}",
        creator_roles=frozenset({Role.HEAD_OF_DEPARTMENT, Role.DEAN, Role.REGISTRAR, Role.METHODOLOGIST}),
        approver_roles=frozenset({Role.DEAN, Role.VICE_RECTOR}),
        revoker_roles=frozenset({Role.VICE_RECTOR, Role.RECTOR}),
        signing_route=(RouteStep(code="vice_rector", role=Role.VICE_RECTOR, label=_("Vice-rector")),),
        retention_class="permanent",
        sample_data={
            "programme_code": "6B06101",
            "intake_year": 2026,
            "semesters": [
                {
                    "number": 1,
                    "disciplines": [
                        {
                            "code": "ICT1",
                            "name": "ИКТ",
                            "credits": 5,
                            "cycle": "general",
                            "component": "compulsory",
                        }
                    ],
                }
            ],
        },
        search_text=lambda document, version: " ".join(
            f"{line['code']} {line['name']}"
            for s in version.data.get("semesters", [])
            for line in s["disciplines"]
        ),
        validate_db=check_working_curriculum,
        subjects=lambda data: code_ref("programme", data.get("programme_code")),
    )
)
