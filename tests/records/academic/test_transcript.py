"""Transcript: every attempt in effect, the grade that counts, GPA per term; rendered with tables."""

from __future__ import annotations

import subprocess
from typing import Any

from records.models import Person, Role
from records.projections.transcript import student_transcript
from records.selectors.document import document_current_pdf
from records.services.document import document_create, document_transition
from tests.records.academic.conftest import bulk, bulk_order, enrollment, line, register, statement


def _history(users: dict[str, Any], org: Any, person: Person) -> None:
    bulk_order(users, org, "enrollment", enrollment(person, org))
    bulk(users, org, "grade_statement", statement(org, [line(person, 60, 60, 30)]))
    bulk(users, org, "grade_statement", statement(org, [line(person, 60, 60, 80)], attempt_kind="retake"))
    bulk(
        users,
        org,
        "grade_statement",
        statement(
            org,
            [line(person, 90, 90, 100)],
            discipline_code="PHY102",
            discipline_name="Физика",
            period=2,
            exam_date="2025-05-30",
        ),
    )


def test_transcript_data(users: dict[str, Any], org: Any, students: list[Person]) -> None:
    person = students[0]
    _history(users, org, person)
    data = student_transcript(person)
    assert [(x["discipline_code"], x["letter"], x["counts"]) for x in data["lines"]] == [
        ("MAT101", "FX", False),
        ("MAT101", "C", True),
        ("PHY102", "A-", True),
    ]
    assert [(t["term"], t["term_gpa"], t["cumulative_gpa"]) for t in data["terms"]] == [
        ("2024/2025-1", "2.00", "2.00"),
        ("2024/2025-2", "3.67", "2.84"),
    ]
    assert data["gpa"] == "2.84" and data["credits_earned"] == 10
    assert data["student"]["group"] == org.group.code and data["student"]["status"] == "enrolled"


def test_transcript_document_renders_every_attempt(
    users: dict[str, Any], org: Any, students: list[Person]
) -> None:
    person = students[1]
    _history(users, org, person)
    doc = register(users, org, "transcript", {"student_iin": person.iin, "as_of": "2025-07-01"})
    assert doc.current_version.data["gpa"] == "2.84"  # type: ignore[union-attr]
    pdf = document_current_pdf(doc)
    assert pdf is not None
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    page = text.decode()
    # Numbers as a Russian document writes them: a decimal comma, no trailing zeros.
    assert "Физика" in page and "FX" in page and "A-" in page and "2,84" in page
    assert doc.subject_id == person.pk
    document_transition(document=doc, by=users[Role.REGISTRAR], name="revoke", reason="Ошибка")


def test_student_without_records(users: dict[str, Any], org: Any, students: list[Person]) -> None:
    doc = document_create(
        by=users[Role.REGISTRAR],
        kind="transcript",
        org_unit=org.faculty,
        title="Транскрипт",
        data={"student_iin": students[2].iin, "as_of": "2025-07-01"},
    )
    assert doc.current_version.data["lines"] == [] and doc.current_version.data["gpa"] is None  # type: ignore[union-attr]
