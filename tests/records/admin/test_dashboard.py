"""The dashboard: "Waiting for me" and the counts by state, from the selectors."""

from __future__ import annotations

from typing import Any

from records.models import Role
from records.services.document import document_submit
from tests.records.admin.conftest import events_after, last_event_id, make_draft


def test_the_rector_sees_the_order_waiting_for_approval(client: Any, staff: dict[str, Any], org: Any) -> None:
    doc = document_submit(document=make_draft(staff, org, title="Приказ на подпись"), by=staff[Role.DEAN])
    make_draft(staff, org, title="Черновик декана")
    before = last_event_id()
    client.force_login(staff[Role.RECTOR])
    response = client.get("/admin/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Waiting for me" in body
    assert "Приказ на подпись" in body
    assert f'href="/admin/registry/documents/{doc.pk}/"' in body
    assert "Черновик декана" not in body  # someone else's draft waits for no one but its author
    assert 'href="/admin/registry/documents/?state=review"><strong>1</strong>' in body
    assert events_after(before) == []


def test_nothing_waiting_shows_a_helpful_empty_state(client: Any, staff: dict[str, Any]) -> None:
    client.force_login(staff[Role.AUDITOR])
    body = client.get("/admin/").content.decode()
    assert "Nothing is waiting for you." in body
    assert 'href="/admin/registry/documents/new/"' not in body  # an auditor drafts nothing: no dead end
    client.force_login(staff[Role.DEAN])
    assert 'href="/admin/registry/documents/new/"' in client.get("/admin/").content.decode()


def test_students_get_no_registry_panels_or_menu(client: Any, staff: dict[str, Any]) -> None:
    client.force_login(staff[Role.STUDENT])
    body = client.get("/admin/").content.decode()
    assert "Waiting for me" not in body
    assert "registry-documents" not in body


def test_the_menu_offers_documents_to_staff_and_the_audit_trail_to_auditors(
    client: Any, staff: dict[str, Any]
) -> None:
    client.force_login(staff[Role.DEAN])
    body = client.get("/admin/").content.decode()
    assert "registry-documents" in body and "registry-audit" not in body
    client.force_login(staff[Role.AUDITOR])
    assert "registry-audit" in client.get("/admin/").content.decode()
