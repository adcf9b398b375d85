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


def test_cached_panels_show_a_change_at_once_and_never_another_users_panel(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    """The panels are cached per user, scope, language and chain head: a repeat visit reuses them
    (fewer queries), a submitted order appears on the very next visit, and the dean's cached panel is
    never shown to the rector."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = document_submit(document=make_draft(staff, org, title="Приказ первый"), by=staff[Role.DEAN])
    client.force_login(staff[Role.RECTOR])
    with CaptureQueriesContext(connection) as cold:
        assert "Приказ первый" in client.get("/admin/").content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get("/admin/").content.decode()
    assert "Приказ первый" in again and len(warm.captured_queries) < len(cold.captured_queries)
    document_submit(document=make_draft(staff, org, title="Приказ второй"), by=staff[Role.DEAN])
    body = client.get("/admin/").content.decode()
    assert "Приказ второй" in body and 'state=review"><strong>2</strong>' in body
    assert f'href="/admin/registry/documents/{first.pk}/"' in body
    client.force_login(staff[Role.DEAN])  # the dean: nothing to review, their own drafts are submitted
    dean = client.get("/admin/").content.decode()
    assert "Приказ второй" not in dean.split("Waiting for me", 1)[1].split("</table>", 1)[0]


def test_the_dashboard_offers_no_wagtail_content_counts_even_to_a_superuser(client: Any, db: Any) -> None:
    """Pages, images and Wagtail documents are not the registry's: no summary of them, although
    wagtail.images and wagtail.documents add their items after the registry's hook (a superuser may
    see both, so their items would show and check permissions on every visit)."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.context["site_summary"].summary_items == []
