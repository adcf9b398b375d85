"""The back office's schema-generated forms work for the academic kinds; domain refusals show as messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from records.models import AuditEvent, Document, Person, Role
from tests.records.academic.conftest import ACADEMIC_KINDS_FOR_FORMS, bulk_order, enrollment, order

NEW = "/admin/registry/documents/new/"


@pytest.mark.parametrize(("kind", "who"), ACADEMIC_KINDS_FOR_FORMS)
def test_create_form_renders(client: Any, staff: dict[str, Any], kind: str, who: str) -> None:
    client.force_login(staff[who])
    response = client.get(f"{NEW}?kind={kind}")
    assert response.status_code == 200
    assert response.context["form"].fields


def test_contradicting_order_is_a_message_not_a_document(
    client: Any, staff: dict[str, Any], org: Any, students: list[Person]
) -> None:
    person = students[0]
    bulk_order(staff, org, "enrollment", enrollment(person, org))
    bulk_order(
        staff,
        org,
        "academic_leave",
        order("academic_leave", person, "2025-02-01", leave_grounds="illness", end_date="2026-02-01"),
    )
    documents, events = Document.objects.count(), AuditEvent.objects.count()
    client.force_login(staff[Role.REGISTRAR])
    response = client.post(
        f"{NEW}?kind=student_order_academic_leave",
        {
            "org_unit": org.faculty.pk,
            "title": "Академический отпуск",
            "data__student_iin": person.iin,
            "data__effective_date": "2025-03-01",
            "data__grounds": "Заявление",
            "data__order_type": "academic_leave",
            "data__leave_grounds": "illness",
            "data__end_date": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert person.iin in response.content.decode()
    assert (Document.objects.count(), AuditEvent.objects.count()) == (documents, events)


def test_statement_line_out_of_range_is_named(
    client: Any, staff: dict[str, Any], org: Any, students: list[Person]
) -> None:
    client.force_login(staff[Role.TEACHER])
    lines = [
        {"student_iin": students[0].iin, "rating1": 80, "rating2": 80, "exam": 80},
        {"student_iin": students[1].iin, "rating1": 80, "rating2": 180, "exam": 80},
    ]
    response = client.post(
        f"{NEW}?kind=grade_statement",
        {
            "org_unit": org.department.pk,
            "title": "Ведомость",
            "data__discipline_code": "MAT101",
            "data__discipline_name": "Математика",
            "data__credits": 5,
            "data__group_code": org.group.code,
            "data__academic_year": 2024,
            "data__period": 1,
            "data__exam_date": "2025-01-10",
            "data__examiner": "Тестов Т.",
            "data__attempt_kind": "regular",
            "data__lines": json.dumps(lines),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Line 2 ({students[1].full_name()}): rating 2 must be between 0 and 100, got 180." in body
    assert not Document.objects.filter(kind="grade_statement").exists()
