"""The bulk path: many documents registered in one transaction, the chain and the outbox kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.errors import RecordsError
from records.lifecycle import State
from records.models import AuditEvent, Document, RegistryCounter, Role
from records.services.audit import chain_verify
from records.services.document import RegisteredItem, documents_create_registered
from search.models import OutboxEntry

DATA = {"subject": "Об учебном графике", "body": "Утвердить график.", "executor": "Регистратор"}


def items(org: Any, count: int, start: int = 0) -> list[RegisteredItem]:
    return [
        RegisteredItem(kind="internal_order", org_unit=org.faculty, title=f"Пакет {i}", data=DATA)
        for i in range(start, start + count)
    ]


def test_a_batch_is_registered_with_consecutive_numbers_chained_events_and_outbox_rows(
    users: dict[str, Any], org: Any
) -> None:
    events_before = AuditEvent.objects.count()
    documents = documents_create_registered(by=users[Role.REGISTRAR], items=items(org, 6))
    assert [d.state for d in documents] == [State.REGISTERED] * 6
    seqs = [d.registry_seq for d in documents]
    assert seqs == list(range(seqs[0], seqs[0] + 6))
    stored = Document.objects.filter(pk__in=[d.pk for d in documents]).select_related("current_version")
    for document in stored:
        assert document.registry_number and document.current_version is not None
        assert document.current_version.frozen and document.search_key.startswith(
            document.registry_number.casefold()
        )
    events = list(AuditEvent.objects.order_by("id")[events_before:])
    # each document's create event, then its register event, in the batch's order
    assert [(e.action, e.document_id) for e in events] == [
        (action, d.pk) for d in documents for action in ("document.create", "document.register")
    ]
    assert all(e.changes.get("bulk") for e in events)
    assert chain_verify().ok
    assert sorted(OutboxEntry.objects.values_list("document_id", flat=True)) == sorted(
        str(d.pk) for d in documents
    )


def test_the_batch_takes_the_chain_head_and_the_counter_once(users: dict[str, Any], org: Any) -> None:
    """Twice the documents, the same number of locks of the chain head and of the series counter."""
    documents_create_registered(by=users[Role.REGISTRAR], items=items(org, 1))  # the counter row exists

    def locks(count: int, start: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            documents_create_registered(by=users[Role.REGISTRAR], items=items(org, count, start))
        sql = [q["sql"] for q in queries.captured_queries]
        head = [s for s in sql if "audithead" in s.lower()]
        counter = [s for s in sql if "registrycounter" in s.lower()]
        outbox = [s for s in sql if "outbox" in s.lower()]
        return len(head) + len(counter) + len(outbox)

    assert locks(4, 100) == locks(8, 200)


def test_a_refused_item_rolls_the_whole_batch_back(users: dict[str, Any], org: Any) -> None:
    documents_create_registered(by=users[Role.REGISTRAR], items=items(org, 1))
    counters = list(RegistryCounter.objects.values_list("series", "year", "last_value"))
    counts = Document.objects.count(), AuditEvent.objects.count(), OutboxEntry.objects.count()
    bad = [
        *items(org, 3),
        RegisteredItem(kind="internal_order", org_unit=org.faculty, title="Плохой", data={}),
    ]
    with pytest.raises(RecordsError):
        documents_create_registered(by=users[Role.REGISTRAR], items=bad)
    assert (Document.objects.count(), AuditEvent.objects.count(), OutboxEntry.objects.count()) == counts
    assert list(RegistryCounter.objects.values_list("series", "year", "last_value")) == counters
    assert chain_verify().ok
