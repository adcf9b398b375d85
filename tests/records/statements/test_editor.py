"""The grade statement grid editor: who may open it, saving drafts, row errors, live results, locking."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from records.models import Document, Person, Programme, Role, StudyGroup
from records.services.document import document_update_draft
from tests.factories import make_person
from tests.records.academic.conftest import bulk, line, statement
from tests.records.admin.conftest import events_after, last_event_id

NEW = "records_statements:new"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def header(org: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "discipline_code": "MAT101",
        "discipline_name": "Математика",
        "credits": "5",
        "academic_year": "2024",
        "period": "1",
        "exam_date": "2025-01-10",
        "examiner": "Тестов Т. Т.",
        "attempt_kind": "regular",
    }
    data.update(extra)
    return data


def grid(rows: list[tuple[Person, Any, Any, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"rows-count": str(len(rows))}
    for i, (person, r1, r2, exam) in enumerate(rows):
        data.update(
            {
                f"rows-{i}-iin": person.iin,
                f"rows-{i}-name": person.full_name(),
                f"rows-{i}-rating1": str(r1),
                f"rows-{i}-rating2": str(r2),
                f"rows-{i}-exam": str(exam),
            }
        )
    return data


def new_url(org: Any) -> str:
    return reverse(NEW) + f"?group={org.group.code}"


def test_teacher_opens_the_new_statement_grid(
    staff: dict[str, Any], org: Any, enrolled: list[Person]
) -> None:
    client = client_for(staff[Role.TEACHER])
    before = last_event_id()
    choose = client.get(reverse(NEW))
    assert choose.status_code == 200
    assert org.group.code in choose.content.decode()
    page = client.get(new_url(org))
    assert page.status_code == 200
    html = page.content.decode()
    for person in enrolled:
        assert person.iin in html
        assert f"Rating 1 of {person.full_name()}" in html
    assert 'name="rows-count" value="4"' in html  # three enrolled plus the fixture's unprojected student
    assert events_after(before) == []


@pytest.mark.parametrize("who", ["other_dean", Role.DEAN, Role.STUDENT])
def test_others_may_not_open_the_grid(staff: dict[str, Any], org: Any, who: str) -> None:
    client = client_for(staff[who])
    before = last_event_id()
    assert client.get(reverse(NEW)).status_code == 403
    assert client.get(new_url(org)).status_code == 403
    assert client.post(new_url(org), {**header(org)}).status_code == 403
    assert events_after(before) == []
    assert not Document.objects.exists()


def test_a_group_outside_the_users_department_is_not_found(
    staff: dict[str, Any],
    org: Any,
) -> None:
    law = Programme.objects.create(
        code="6B04201",
        level=Programme.Level.BACHELOR,
        department=org.other_faculty,
        name_kk="Құқық",
        name_ru="Право",
        name_en="Law",
    )
    StudyGroup.objects.create(code="LAW-24-1", programme=law, intake_year=2024, language="kk")
    client = client_for(staff[Role.TEACHER])
    assert client.get(reverse(NEW) + "?group=LAW-24-1").status_code == 404
    assert client.post(reverse(NEW) + "?group=LAW-24-1", header(org)).status_code == 404
    assert client.get(reverse(NEW) + "?group=NOPE").status_code == 404
    assert "LAW-24-1" not in client.get(reverse(NEW)).content.decode()
    assert "LAW-24-1" in client_for(staff[Role.REGISTRAR]).get(reverse(NEW)).content.decode()


def test_posting_the_grid_creates_a_computed_draft(
    staff: dict[str, Any],
    org: Any,
    enrolled: list[Person],
) -> None:
    a, b, c = enrolled
    client = client_for(staff[Role.TEACHER])
    before = last_event_id()
    response = client.post(
        new_url(org), {**header(org), **grid([(a, 90, 100, 95), (b, 40, 50, ""), (c, 94, 95, 94)])}
    )
    assert response.status_code == 302
    document = Document.objects.get(kind="grade_statement")
    assert response["Location"] == reverse("records_admin:document", args=[document.pk])
    assert document.org_unit == org.department
    lines = document.current_version.data["lines"]  # type: ignore[union-attr]
    assert [(x["admission_rating"], x["final_percent"], x["letter"]) for x in lines] == [
        ("95", "95", "A"),
        ("45", None, ""),
        ("95", "95", "A"),
    ]
    assert lines[1]["admitted"] is False
    assert events_after(before) == ["document.create"]


def test_out_of_range_score_is_shown_on_its_row_and_nothing_stored(
    staff: dict[str, Any],
    org: Any,
    enrolled: list[Person],
) -> None:
    a, b, _c = enrolled
    client = client_for(staff[Role.TEACHER])
    before = last_event_id()
    response = client.post(new_url(org), {**header(org), **grid([(a, 90, 90, 90), (b, 90, 90, 101)])})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-row="1" class="error" aria-invalid="true"' in html
    assert 'data-row="0" class="error"' not in html
    assert "exam must be between 0 and 100, got 101." in html
    assert not Document.objects.exists()
    assert events_after(before) == []


def test_a_student_outside_the_group_is_named_on_the_row(
    staff: dict[str, Any],
    org: Any,
    enrolled: list[Person],
) -> None:
    stranger = make_person(kind=Person.Kind.STUDENT)
    client = client_for(staff[Role.TEACHER])
    response = client.post(
        new_url(org), {**header(org), **grid([(enrolled[0], 90, 90, 90), (stranger, 80, 80, 80)])}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-row="1" class="error"' in html
    assert f"Line 2 ({stranger.full_name()})" in html
    assert f"is not in group {org.group.code}" in html
    assert not Document.objects.exists()


def test_compute_endpoint_rounds_half_up_at_the_band_edge(staff: dict[str, Any], org: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff[Role.TEACHER])
    client.get(new_url(org))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    body = {
        "exam_date": "2025-01-10",
        "rows": [
            {"rating1": "94", "rating2": "95", "exam": "94"},  # AR 94.5 → 95; final 94.6 → 95: A
            {"rating1": "94", "rating2": "94", "exam": "95"},  # final 94.4 → 94: A-
            {"rating1": "90", "rating2": "90", "exam": "120"},
        ],
    }
    url = reverse("records_statements:compute")
    before = last_event_id()
    response = client.post(url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert (rows[0]["admission_rating"], rows[0]["final_percent"], rows[0]["letter"]) == ("95", "95", "A")
    assert (rows[1]["final_percent"], rows[1]["letter"], rows[1]["points"]) == ("94", "A-", "3.67")
    assert rows[2]["error"] and rows[2]["letter"] == ""
    assert events_after(before) == []
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 403
    assert (
        client.post(url, "not json", content_type="application/json", HTTP_X_CSRFTOKEN=token).status_code
        == 400
    )


def test_compute_endpoint_refuses_non_staff(staff: dict[str, Any]) -> None:
    client = client_for(staff[Role.STUDENT])
    response = client.post(
        reverse("records_statements:compute"), json.dumps({"rows": []}), content_type="application/json"
    )
    assert response.status_code == 403


def _draft(staff: dict[str, Any], org: Any, enrolled: list[Person]) -> Document:
    a, b, _c = enrolled
    client = client_for(staff[Role.TEACHER])
    client.post(new_url(org), {**header(org), **grid([(a, 90, 100, 95), (b, 70, 70, 70)])})
    return Document.objects.get(kind="grade_statement")


def test_edit_grid_is_prefilled_and_saves(staff: dict[str, Any], org: Any, enrolled: list[Person]) -> None:
    document = _draft(staff, org, enrolled)
    a, b, _c = enrolled
    client = client_for(staff[Role.TEACHER])
    url = reverse("records_statements:edit", args=[document.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="rows-1-rating1" value="70"' in html
    assert 'name="lock_version" value="0"' in html
    assert client_for(staff["other_dean"]).get(url).status_code == 404
    before = last_event_id()
    response = client.post(
        url, {**header(org), "lock_version": "0", **grid([(a, 90, 100, 95), (b, 80, 80, 80)])}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current_version.data["lines"][1]["letter"] == "B"  # type: ignore[union-attr]
    assert events_after(before) == ["document.edit"]


def test_stale_lock_version_keeps_input_and_changes_nothing(
    staff: dict[str, Any],
    org: Any,
    enrolled: list[Person],
) -> None:
    document = _draft(staff, org, enrolled)
    a, b, _c = enrolled
    data = document.current_version.data  # type: ignore[union-attr]
    document_update_draft(document=document, by=staff[Role.TEACHER], lock_version=0, data=data)
    document.refresh_from_db()
    saved = document.current_version.data  # type: ignore[union-attr]
    client = client_for(staff[Role.TEACHER])
    before = last_event_id()
    response = client.post(
        reverse("records_statements:edit", args=[document.pk]),
        {**header(org), "lock_version": "0", **grid([(a, 90, 100, 95), (b, 55, 55, 55)])},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "changed by someone else" in html
    assert 'name="rows-1-rating1" value="55"' in html
    document.refresh_from_db()
    assert document.current_version.data == saved  # type: ignore[union-attr]
    assert document.lock_version == 1
    assert events_after(before) == []


def test_a_second_regular_statement_is_refused_and_a_retake_skips_empty_rows(
    staff: dict[str, Any], org: Any, enrolled: list[Person]
) -> None:
    a, b, c = enrolled
    bulk(
        staff,
        org,
        "grade_statement",
        statement(org, [line(a, 90, 90, 90), line(b, 60, 60, 30), line(c, 80, 80, 80)]),
    )
    client = client_for(staff[Role.TEACHER])
    rows = grid([(a, 90, 90, 90), (b, 60, 60, 60), (c, 80, 80, 80)])
    response = client.post(new_url(org), {**header(org), **rows})
    assert response.status_code == 400
    assert "is already registered" in response.content.decode()
    assert Document.objects.filter(kind="grade_statement").count() == 1
    retake = grid([(a, "", "", ""), (b, 60, 60, 60), (c, "", "", "")])
    response = client.post(new_url(org), {**header(org, attempt_kind="retake"), **retake})
    assert response.status_code == 302
    created = Document.objects.filter(kind="grade_statement").latest("pk")
    lines = created.current_version.data["lines"]  # type: ignore[union-attr]
    assert [(x["student_iin"], x["letter"]) for x in lines] == [(b.iin, "C-")]
    blank = grid([(a, 90, 90, 90), (b, "", "", "")])
    response = client.post(new_url(org), {**header(org, discipline_code="PHY1"), **blank})
    assert response.status_code == 400
    assert 'data-row="1" class="error"' in response.content.decode()
