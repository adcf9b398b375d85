"""The scholarship pages: without permission 403/404 and no audit event; with it 200 and the expected events."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from records.models import AccessEvent, AuditEvent, Document, Role
from tests.records.scholarship.conftest import Registry, earlier_order

INDEX = "/admin/scholarship/"
NEW = "/admin/scholarship/new/"
QUERY = {
    "preview": "1",
    "academic_year": "2025",
    "semester": "1",
    "base_amount": "47135",
    "increased_amount": "54205",
    "faculty": "",
}


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def actions_after(event_id: int) -> list[str]:
    return list(AuditEvent.objects.filter(id__gt=event_id).order_by("id").values_list("action", flat=True))


def login(client: Client, users: dict[str, Any], role: str) -> Client:
    client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", [Role.TEACHER, Role.ARCHIVIST, Role.STUDENT])
def test_without_a_scholarship_role_every_page_is_refused(
    client: Client, staff: dict[str, Any], complete: Registry, role: str
) -> None:
    order = earlier_order(complete, complete.people["good"], academic_year=2025, semester=1)
    login(client, staff, role)
    start = last_id()
    assert client.get(INDEX).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(NEW, QUERY).status_code == 403
    assert client.post(NEW, {**QUERY, "confirm": "yes"}).status_code == 403
    assert client.get(f"{INDEX}{order.pk}/").status_code == 403
    assert client.post(f"{INDEX}{order.pk}/export/", {"format": "xlsx"}).status_code == 403
    assert actions_after(start) == []
    assert Document.objects.filter(kind="scholarship_order").count() == 2


def test_the_list_page_shows_the_orders_and_its_empty_state(
    client: Client, staff: dict[str, Any], complete: Registry, django_assert_max_num_queries: Any
) -> None:
    login(client, staff, Role.REGISTRAR)
    empty = client.get(INDEX, {"academic_year": "2030"})
    assert empty.status_code == 200 and "There are no scholarship orders yet" in empty.content.decode()
    for semester in (1, 2):
        earlier_order(complete, complete.people["good"], academic_year=2025, semester=semester)
    start = last_id()
    with django_assert_max_num_queries(12):
        page = client.get(INDEX, {"state": "registered"})
    assert page.status_code == 200
    assert page.content.decode().count("/admin/scholarship/") >= 3
    assert (
        client.get(INDEX, {"academic_year": "2025", "semester": "2"}).context["page_obj"].paginator.count == 1
    )
    assert actions_after(start) == []  # the list shows no student data


def test_a_dean_sees_only_their_faculty_orders(
    client: Client, staff: dict[str, Any], complete: Registry
) -> None:
    university = earlier_order(complete, complete.people["good"], academic_year=2025, semester=1)
    login(client, staff, "other_dean")
    start = last_id()
    assert client.get(f"{INDEX}{university.pk}/").status_code == 404
    assert client.post(f"{INDEX}{university.pk}/export/", {"format": "xlsx"}).status_code == 404
    assert client.get(NEW, {**QUERY, "faculty": str(complete.org.faculty.pk)}).status_code == 403
    assert actions_after(start) == []
    assert client.get(INDEX).context["page_obj"].paginator.count == 0


def test_the_preview_lists_and_explains_and_is_audited(
    client: Client, staff: dict[str, Any], complete: Registry
) -> None:
    login(client, staff, Role.REGISTRAR)
    form = client.get(NEW)
    assert form.status_code == 200 and 'value="47135"' in form.content.decode()
    start = last_id()
    page = client.get(NEW, QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    for key in ("excellent", "good", "medical", "freshman", "paid", "failed"):
        assert complete.people[key].iin in html
    assert "not_state_funded" in html and "grade_below_good" in html and "Create the order" in html
    assert "2025/26, семестр 1" in html and "2024/25, семестр 2" in html
    assert actions_after(start) == ["scholarship.preview"]


def test_an_incomplete_session_is_explained_and_nothing_is_audited(
    client: Client, staff: dict[str, Any], registry: Registry
) -> None:
    login(client, staff, Role.REGISTRAR)
    start = last_id()
    page = client.get(NEW, QUERY)
    assert page.status_code == 200
    assert "IS-24-1" in page.content.decode() and "D25" in page.content.decode()
    bad = client.get(NEW, {**QUERY, "base_amount": "-5"})
    assert bad.status_code == 200 and "Create the order" not in bad.content.decode()
    assert actions_after(start) == []


def test_creating_needs_confirmation_and_then_drafts_the_order(
    client: Client, staff: dict[str, Any], complete: Registry
) -> None:
    login(client, staff, Role.REGISTRAR)
    start = last_id()
    unconfirmed = client.post(NEW, QUERY)
    assert unconfirmed.status_code == 200
    assert not Document.objects.filter(kind="scholarship_order", state="draft").exists()
    response = client.post(NEW, {**QUERY, "confirm": "yes"})
    document = Document.objects.get(kind="scholarship_order", state="draft")
    assert response.status_code == 302 and response["Location"] == f"{INDEX}{document.pk}/"
    assert actions_after(start) == ["document.create"]
    again = client.post(NEW, {**QUERY, "confirm": "yes"}, follow=True)
    assert "already exists" in again.content.decode()
    assert Document.objects.filter(kind="scholarship_order", state="draft").count() == 1


def test_posts_need_the_csrf_token(staff: dict[str, Any], complete: Registry) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff[Role.REGISTRAR])
    assert client.post(NEW, {**QUERY, "confirm": "yes"}).status_code == 403
    assert not Document.objects.filter(kind="scholarship_order", state="draft").exists()


def test_the_order_page_and_the_payment_list(
    client: Client, staff: dict[str, Any], complete: Registry
) -> None:
    registered = earlier_order(complete, complete.people["good"], academic_year=2025, semester=1)
    login(client, staff, Role.REGISTRAR)
    start = last_id()
    read_start = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    page = client.get(f"{INDEX}{registered.pk}/")
    assert page.status_code == 200 and complete.people["good"].iin in page.content.decode()
    assert actions_after(start) == []  # a read, kept in the access log
    reads = AccessEvent.objects.filter(id__gt=read_start).values_list("action", "document_id")
    assert list(reads) == [("document.view", registered.pk)]
    start = last_id()
    response = client.post(f"{INDEX}{registered.pk}/export/", {"format": "xlsx"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == complete.people["good"].iin and rows[-1][5] == 47135
    assert actions_after(start) == ["scholarship.payment_export"]
    assert client.get(f"/admin/registry/documents/{registered.pk}/").status_code == 200  # the route's page
    bad = client.post(f"{INDEX}{registered.pk}/export/", {"format": "pdf"})
    assert bad.status_code == 302
    assert client.get(f"{INDEX}999999/").status_code == 404


def test_a_draft_order_refuses_the_export_with_a_message(
    client: Client, staff: dict[str, Any], complete: Registry
) -> None:
    login(client, staff, Role.REGISTRAR)
    client.post(NEW, {**QUERY, "confirm": "yes"})
    draft = Document.objects.get(kind="scholarship_order", state="draft")
    start = last_id()
    response = client.post(f"{INDEX}{draft.pk}/export/", {"format": "xlsx"}, follow=True)
    assert response.status_code == 200
    assert "only from a registered order" in response.content.decode()
    assert "scholarship.payment_export" not in actions_after(start)
