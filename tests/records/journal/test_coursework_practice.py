"""Coursework and practice statements: graded by the scale, in the transcript, in GPA as the policy says."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from records.errors import RecordsError
from records.models import AuditEvent, Document, GradeLine, Person, Role, StudentGpa
from records.projections.bulk import document_register_directly
from records.projections.transcript import student_transcript
from records.services.document import document_create
from tests.conftest import walk_route
from tests.factories import Org


def _exam(org: Org, person: Person) -> dict[str, Any]:
    return {
        "discipline_code": "ICT1",
        "discipline_name": "Информатика",
        "credits": 4,
        "group_code": org.group.code,
        "academic_year": 2024,
        "period": 1,
        "exam_date": "2025-01-10",
        "examiner": "Тестов Т.",
        "lines": [{"student_iin": person.iin, "rating1": "100", "rating2": "100", "exam": "100"}],
    }


def _coursework(org: Org, person: Person, score: str = "60") -> dict[str, Any]:
    return {
        "discipline_code": "ICT1",
        "discipline_name": "Информатика",
        "work_kind": "course_project",
        "credits": 1,
        "group_code": org.group.code,
        "academic_year": 2024,
        "period": 1,
        "date": "2024-12-20",
        "supervisor": "Тестов Т.",
        "lines": [{"student_iin": person.iin, "topic": "Библиотека", "score": score}],
    }


def test_coursework_is_graded_shown_in_the_transcript_and_counted_in_gpa(
    org: Org, staff: dict[str, Any], pupils: list[Person]
) -> None:
    person = pupils[0]
    walk_route(
        staff,
        document_create(
            by=staff["teacher"],
            kind="grade_statement",
            org_unit=org.department,
            title="В",
            data=_exam(org, person),
        ),
        approver=Role.HEAD_OF_DEPARTMENT,
    )
    work = document_create(
        by=staff["teacher"],
        kind="coursework_statement",
        org_unit=org.department,
        title="К",
        data=_coursework(org, person),
    )
    line = work.current_version.data["lines"][0]
    assert (line["letter"], line["points"], line["traditional_mark"]) == ("C-", "1.67", 3)
    walk_route(staff, work, approver=Role.HEAD_OF_DEPARTMENT)

    stored = GradeLine.objects.get(person=person, attempt_kind="coursework")
    assert (stored.discipline_code, stored.counts) == ("ICT1-КП", True)
    gpa = StudentGpa.objects.get(person=person)
    # (4.0 × 4 + 1.67 × 1) / 5 = 3.534 → 3.53: the course project weighs by its credit
    assert gpa.term_gpa == Decimal("3.53") and gpa.term_credits == 5
    transcript = student_transcript(person)
    assert {row["discipline_code"] for row in transcript["lines"]} == {"ICT1", "ICT1-КП"}
    call_command("registry", "replay", "--check")


def test_a_policy_that_leaves_coursework_out_of_gpa_keeps_it_in_the_transcript_only(
    org: Org, staff: dict[str, Any], pupils: list[Person]
) -> None:
    person = pupils[0]
    document_register_directly(
        by=staff[Role.RECTOR],
        kind="academic_policy",
        org_unit=org.university,
        title="Политика",
        data={"effective_date": "2024-08-01", "counting": {"coursework_in_gpa": False}},
    )
    for kind, data in (
        ("grade_statement", _exam(org, person)),
        ("coursework_statement", _coursework(org, person)),
    ):
        document_register_directly(
            by=staff[Role.REGISTRAR], kind=kind, org_unit=org.department, title=kind, data=data
        )
    assert GradeLine.objects.get(person=person, attempt_kind="coursework").counts is False
    gpa = StudentGpa.objects.get(person=person)
    assert gpa.term_gpa == Decimal("4.00") and gpa.term_credits == 4
    assert len(student_transcript(person)["lines"]) == 2
    call_command("registry", "replay", "--check")


def test_practice_statement_counts_and_a_bad_score_changes_nothing(
    org: Org, staff: dict[str, Any], pupils: list[Person]
) -> None:
    person = pupils[1]
    data = {
        "practice_code": "PP1",
        "practice_name": "Учебная практика",
        "practice_kind": "educational",
        "credits": 2,
        "group_code": org.group.code,
        "academic_year": 2024,
        "period": 2,
        "date": "2025-06-20",
        "supervisor": "Тестов Т.",
        "lines": [
            {
                "student_iin": person.iin,
                "place": "ТОО «Пример»",
                "place_supervisor": "Иванов И.",
                "score": "101",
            }
        ],
    }
    before = (Document.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RecordsError) as caught:
        document_create(
            by=staff["teacher"], kind="practice_statement", org_unit=org.department, title="П", data=data
        )
    assert "100" in caught.value.message
    assert (Document.objects.count(), AuditEvent.objects.count()) == before
    data["lines"][0]["score"] = "95"
    walk_route(
        staff,
        document_create(
            by=staff["teacher"], kind="practice_statement", org_unit=org.department, title="П", data=data
        ),
        approver=Role.HEAD_OF_DEPARTMENT,
    )
    line = GradeLine.objects.get(person=person, attempt_kind="practice")
    assert (line.discipline_code, line.letter, line.counts, line.credits) == ("PP1", "A", True, 2)
