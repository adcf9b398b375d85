"""Transitions from the document page: POST with CSRF, reasons, confirmation of irreversible steps."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from records.lifecycle import State
from records.models import AuditEvent, Document, Role, Signature
from records.services.document import document_approve, document_submit, document_transition
from tests.records.admin.conftest import events_after, last_event_id, last_read_id, make_draft, reads_after


def url(document: Any, name: str) -> str:
    return f"/admin/registry/documents/{document.pk}/transition/{name}/"


def in_review(staff: dict[str, Any], org: Any) -> Document:
    return document_submit(document=make_draft(staff, org), by=staff[Role.DEAN])


def signed(staff: dict[str, Any], org: Any) -> Document:
    """A document whose whole route has signed (the signing capability is not wired in yet)."""
    doc = document_approve(document=in_review(staff, org), by=staff[Role.RECTOR])
    doc = document_transition(document=doc, by=staff[Role.RECTOR], name="start_signing")
    Signature.objects.create(
        document=doc,
        version=doc.current_version,
        step="rector",
        role=Role.RECTOR,
        signer=staff[Role.RECTOR],
        signer_name="Rector",
        certificate_sha256="cd" * 32,
        signed_at=timezone.now(),
    )
    return doc


def test_submit_is_one_post_and_writes_one_event(client: Any, staff: dict[str, Any], org: Any) -> None:
    doc = make_draft(staff, org)
    before = last_event_id()
    client.force_login(staff[Role.DEAN])
    response = client.post(url(doc, "submit"))
    assert response.status_code == 302
    assert response["Location"] == f"/admin/registry/documents/{doc.pk}/"
    assert events_after(before) == ["document.submit"]
    doc.refresh_from_db()
    assert doc.state == State.REVIEW


def test_the_post_needs_a_csrf_token(staff: dict[str, Any], org: Any) -> None:
    doc = make_draft(staff, org)
    before = last_event_id()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff[Role.DEAN])
    assert client.post(url(doc, "submit")).status_code == 403
    assert events_after(before) == []


def test_a_transition_the_user_may_not_take_is_403_and_changes_nothing(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = in_review(staff, org)
    before = last_event_id()
    client.force_login(staff[Role.DEAN])  # the author may not approve their own order
    assert client.post(url(doc, "approve")).status_code == 403
    client.force_login(staff[Role.TEACHER])  # cannot even see it
    assert client.post(url(doc, "approve")).status_code == 404
    client.force_login(staff[Role.RECTOR])
    assert client.post(url(doc, "teleport")).status_code == 404
    assert events_after(before) == []
    doc.refresh_from_db()
    assert doc.state == State.REVIEW


def test_reject_asks_for_a_reason_and_refuses_without_one(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = in_review(staff, org)
    before = last_event_id()
    client.force_login(staff[Role.RECTOR])
    page = client.get(url(doc, "reject"))
    assert page.status_code == 200
    assert '<textarea name="reason"' in page.content.decode()
    response = client.post(url(doc, "reject"), {"reason": "  ", "confirm": "True"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert events_after(before) == []
    response = client.post(url(doc, "reject"), {"reason": "Уточнить срок", "confirm": "True"})
    assert response.status_code == 302
    assert events_after(before) == ["document.reject"]
    assert AuditEvent.objects.get(id__gt=before).changes["reason"] == "Уточнить срок"


def test_an_irreversible_step_is_not_taken_without_the_confirmation(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = signed(staff, org)
    before, before_read = last_event_id(), last_read_id()
    client.force_login(staff[Role.RECTOR])
    detail = client.get(f"/admin/registry/documents/{doc.pk}/").content.decode()
    assert f'href="{url(doc, "register")}"' in detail  # a link to the confirmation page, not a direct POST
    page = client.get(url(doc, "register")).content.decode()
    assert "This cannot be undone." in page
    response = client.post(url(doc, "register"))  # no confirm: the page is shown again
    assert response.status_code == 200
    doc.refresh_from_db()
    assert doc.state == State.SIGNING
    assert events_after(before) == []
    assert reads_after(before_read) == ["document.view"]
    response = client.post(url(doc, "register"), {"confirm": "True"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.state == State.REGISTERED
    assert events_after(before) == ["document.register"]


def test_revoke_needs_confirmation_and_a_reason(client: Any, staff: dict[str, Any], org: Any) -> None:
    doc = document_transition(document=signed(staff, org), by=staff[Role.RECTOR], name="register")
    before = last_event_id()
    client.force_login(staff[Role.RECTOR])
    response = client.post(url(doc, "revoke"), {"confirm": "True"})
    assert response.status_code == 200
    assert events_after(before) == []
    response = client.post(url(doc, "revoke"), {"confirm": "True", "reason": "Ошибка в приказе"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.state == State.REVOKED
    assert events_after(before) == ["document.revoke"]


def test_register_with_an_incomplete_route_is_refused_and_changes_nothing(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = signed(staff, org)
    Signature.objects.filter(document=doc).update(void=True)  # the route is no longer complete
    before = last_event_id()
    client.force_login(staff[Role.REGISTRAR])
    response = client.post(url(doc, "register"), {"confirm": "True"})
    # The route condition fails, so "register" is not among the registrar's actions: refused up front.
    assert response.status_code == 403
    assert "You cannot take this action on this document now." in response.content.decode()
    doc.refresh_from_db()
    assert doc.state == State.SIGNING
    assert events_after(before) == []
