"""The system audit trail: auditors only, filters, pagination, and the chain verification button."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from records.models import AuditEvent, Role
from records.services.audit import audit_record
from tests.records.admin.conftest import events_after, last_event_id, make_draft

URL = "/admin/registry/audit/"
VERIFY = "/admin/registry/audit/verify/"
# user, count, page (events joined with actor and document), and one more. The profile, the 2
# permission lookups and the roles come from the per-user cache (records/selectors/viewer.py) and
# Wagtail's sidebar from its own (records.admin.sidebar), both built by the test's first request; the
# session comes from the cache (cached_db sessions).
QUERIES = 4


def test_staff_who_are_not_auditors_get_403_and_nothing_is_recorded(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    make_draft(staff, org)
    before = last_event_id()
    for who in (Role.DEAN, Role.REGISTRAR, Role.STUDENT):
        client.force_login(staff[who])
        assert client.get(URL).status_code == 403
        assert client.post(VERIFY).status_code == 403
    assert events_after(before) == []


def test_without_admin_access_the_trail_is_not_shown(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users[Role.AUDITOR])
    assert client.get(URL).status_code == 302


def test_the_auditor_reads_every_event_and_reading_writes_none(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = make_draft(staff, org, title="Приказ о графике")
    before = last_event_id()
    client.force_login(staff[Role.AUDITOR])
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "document.create" in body
    assert f'href="/admin/registry/documents/{doc.pk}/"' in body
    assert "Об учебном графике" in body  # `changes` rendered readably, field by field
    assert events_after(before) == []


def test_filters_by_action_and_actor(client: Any, staff: dict[str, Any], org: Any) -> None:
    make_draft(staff, org)
    audit_record(actor=staff[Role.REGISTRAR], action="document.export", changes={"count": 0})
    client.force_login(staff[Role.AUDITOR])
    rows = client.get(URL, {"action": "document.export"}).context["rows"]
    assert [r["event"].action for r in rows] == ["document.export"]
    rows = client.get(URL, {"actor": "dean"}).context["rows"]
    assert {r["event"].actor_repr for r in rows} == {"dean"}
    assert client.get(URL, {"p": "999"}).status_code == 200


def test_verify_chain_reports_an_intact_chain(client: Any, staff: dict[str, Any], org: Any) -> None:
    make_draft(staff, org)
    make_draft(staff, org)
    before = last_event_id()
    client.force_login(staff[Role.AUDITOR])
    response = client.post(VERIFY, follow=True)
    assert response.status_code == 200
    assert f"The audit chain is intact: {before} events checked." in response.content.decode()
    assert client.get(VERIFY).status_code == 405


def test_the_trail_page_query_count_does_not_grow_with_the_events_shown(
    client: Any, staff: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client.force_login(staff[Role.AUDITOR])
    client.get(URL)  # first admin request creates the user's Wagtail profile
    for i in range(5):
        audit_record(actor=staff[Role.REGISTRAR], action="document.export", changes={"count": i})
    # Filtered to the events made here (the fixtures' users and permissions are audited too, auth.*).
    with django_assert_num_queries(QUERIES) as few:
        client.get(URL, {"action": "document.export"})
    for i in range(40):
        audit_record(actor=staff[Role.DEAN], action="document.export", changes={"count": i})
    with django_assert_num_queries(QUERIES) as many:
        response = client.get(URL, {"action": "document.export"})
    assert len(response.context["rows"]) == 45
    assert len(few.captured_queries) == len(many.captured_queries)


def test_verify_chain_names_the_first_altered_event(client: Any, staff: dict[str, Any], org: Any) -> None:
    make_draft(staff, org)
    last = AuditEvent.objects.order_by("-id").first()
    # Appending is the one write the database allows; an event with a forged hash breaks the chain.
    AuditEvent.objects.create(
        id=last.id + 1,
        created_at=timezone.now(),
        actor_repr="intruder",
        action="document.view",
        changes={},
        prev_hash=last.hash,
        hash="f" * 64,
    )
    client.force_login(staff[Role.AUDITOR])
    body = client.post(VERIFY, follow=True).content.decode()
    assert f"The audit chain is broken at event #{last.id + 1}" in body
