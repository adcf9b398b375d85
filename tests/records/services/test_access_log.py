"""Reads stay audited (who read which record, when) without the chain head's lock."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from records.models import AccessEvent, AuditEvent, AuditHead, Role
from records.services.audit import audit_record
from tests.records.admin.conftest import make_draft


def test_a_document_view_writes_one_read_and_never_touches_the_chain(
    client: Client, staff: dict[str, Any], org: Any
) -> None:
    document = make_draft(staff, org, title="Приказ о практике")
    events = AuditEvent.objects.count()
    client.force_login(staff[Role.REGISTRAR])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/registry/documents/{document.pk}/")
    assert response.status_code == 200
    # Reading the head (a cached trail's key) takes no lock; writing or locking it would.
    touching = [
        q["sql"]
        for q in queries.captured_queries
        if "records_audithead" in q["sql"] and (not q["sql"].startswith("SELECT") or "FOR UPDATE" in q["sql"])
    ]
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "records_auditevent"')
    ]
    assert touching == [] and writes == []
    assert AuditEvent.objects.count() == events
    read = AccessEvent.objects.get(document=document)
    assert (read.action, read.actor, read.actor_repr) == ("document.view", staff[Role.REGISTRAR], "registrar")


def test_reads_appear_in_the_documents_trail_page_and_api(
    client: Client, staff: dict[str, Any], org: Any
) -> None:
    document = make_draft(staff, org)
    client.force_login(staff[Role.REGISTRAR])
    client.get(f"/admin/registry/documents/{document.pk}/")
    client.force_login(staff[Role.AUDITOR])
    body = client.get(f"/admin/registry/documents/{document.pk}/").content.decode()
    assert '<tr data-action="document.view" data-read="1">' in body
    assert body.count('data-read="1"') == 2  # the registrar's view and the auditor's own
    trail = client.get(f"/api/v1/documents/{document.pk}/audit").json()
    reads = [(e["kind"], e["action"], e["actor"]) for e in trail if e["kind"] == "read"]
    assert reads[:2] == [("read", "document.view", "registrar"), ("read", "document.view", "auditor")]
    assert [e["action"] for e in trail if e["kind"] == "event"] == ["document.create"]


def test_the_system_trail_lists_reads_for_auditors(client: Client, staff: dict[str, Any], org: Any) -> None:
    document = make_draft(staff, org, title="Приказ о стипендии")
    client.force_login(staff[Role.REGISTRAR])
    client.get(f"/admin/registry/documents/{document.pk}/")
    client.force_login(staff[Role.AUDITOR])
    body = client.get("/admin/registry/audit/", {"reads": "1"}).content.decode()
    assert 'data-action="document.view" data-read="1"' in body and "registrar" in body
    changes = client.get("/admin/registry/audit/").content.decode()
    assert 'data-read="1"' not in changes and 'data-action="document.create"' in changes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_read_completes_while_another_transaction_holds_the_chain_head(
    staff: dict[str, Any], org: Any
) -> None:
    """A write holding the chain head (a long registration, say) does not hold up views."""
    document = make_draft(staff, org)
    locked, release = threading.Event(), threading.Event()

    def hold_the_head() -> None:
        try:
            with transaction.atomic():
                AuditHead.objects.select_for_update().get(pk=1)
                locked.set()
                release.wait(60)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_head)
    holder.start()
    try:
        assert locked.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        client = Client()
        client.force_login(staff[Role.REGISTRAR])
        response = client.get(f"/admin/registry/documents/{document.pk}/")
        assert response.status_code == 200
        assert AccessEvent.objects.filter(document=document, action="document.view").count() == 1
        # The head really is held: a write of the chain waits for it (and gives up after 3 s).
        with pytest.raises(OperationalError), transaction.atomic():
            audit_record(actor=None, action="test.write")
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


def test_batched_reads_cost_the_request_no_write_and_are_written_by_the_flush(
    client: Client, staff: dict[str, Any], org: Any, settings: Any
) -> None:
    """The run/production profiles queue reads: the page view itself inserts nothing; the flush writes
    the read (who, what, when) in one transaction."""
    from records.services.audit import access_flush, access_pending

    document = make_draft(staff, org, title="Приказ о практике")
    settings.RECTORATE_ACCESS_LOG_BATCH = 1000
    settings.RECTORATE_ACCESS_LOG_WAIT = 3600.0  # the flusher thread stays asleep; the test flushes
    client.force_login(staff[Role.REGISTRAR])
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(f"/admin/registry/documents/{document.pk}/").status_code == 200
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert inserts == []
    assert access_pending() == 3 and not AccessEvent.objects.filter(document=document).exists()
    assert access_flush() == 3 and access_pending() == 0
    reads = list(AccessEvent.objects.filter(document=document).values_list("action", "actor_repr"))
    assert reads == [("document.view", "registrar")] * 3
