"""Index sync: the outbox survives an unavailable index; drain, lag, rebuild and reconcile."""

from __future__ import annotations

import json
import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from elasticsearch import Elasticsearch

from search import sync
from search.analysis import ANALYSIS_VERSION
from search.backends.base import BackendError, PermissionScope, SearchBackend, SearchQuery
from search.backends.elastic import ElasticsearchBackend
from search.backends.tantivy_backend import VERSION_FILE, TantivyBackend
from search.models import OutboxEntry
from tests.engines import configured_search_backend, search_backend_names
from tests.search import sources
from tests.search.conftest import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    sources.DOCUMENTS.clear()
    sources.DOCUMENTS.update({d.id: d for d in corpus()})
    yield sources.DOCUMENTS
    sources.DOCUMENTS.clear()


@pytest.fixture
def index(backend: SearchBackend) -> SearchBackend:
    """A fresh index on every backend of the contract suite (tantivy, osmem, the Elasticsearch node)."""
    return backend


@pytest.fixture
def unreachable() -> ElasticsearchBackend:
    """A real client pointed at a port nobody listens on: every request fails to connect."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = Elasticsearch(f"http://127.0.0.1:{port}", max_retries=0, request_timeout=2)
    return ElasticsearchBackend(client, alias="unreachable")


def test_enqueue_belongs_to_the_callers_transaction() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        sync.enqueue("doc-01")
        raise RuntimeError("the change failed")
    assert OutboxEntry.objects.count() == 0
    with transaction.atomic():
        sync.enqueue("doc-01")
    assert OutboxEntry.objects.count() == 1


@pytest.mark.parametrize(("document_id", "op"), [("", "index"), ("x" * 201, "index"), ("doc-01", "upsert")])
def test_enqueue_rejects_bad_input(document_id: str, op: str) -> None:
    with pytest.raises(sync.OutboxError):
        sync.enqueue(document_id, op)
    assert OutboxEntry.objects.count() == 0


def test_drain_indexes_and_deletes_in_order(registry, index) -> None:
    for doc_id in registry:
        sync.enqueue(doc_id)
    report = sync.drain(sources.project, index, batch=5)
    assert report.ok
    assert (report.indexed, report.entries) == (12, 12)
    assert index.count() == 12
    assert OutboxEntry.objects.count() == 0
    # An index op for a document that no longer exists, and an explicit delete, both remove it.
    del registry["doc-02"]
    sync.enqueue("doc-02")
    sync.enqueue("doc-03", "delete")
    sync.enqueue("doc-04", "delete")
    sync.enqueue("doc-04", "index")  # the last operation of a document wins
    report = sync.drain(sources.project, index)
    assert (report.indexed, report.deleted) == (1, 2)
    assert sorted(index.ids()) == sorted(set(registry) - {"doc-03"})


@pytest.mark.parametrize(
    "written_by",
    [
        "an older analysis",
        # Today's analysis under the schema before the body was stored apart from the payload.
        ANALYSIS_VERSION,
    ],
)
def test_an_index_of_another_analysis_version_is_rebuilt_by_the_next_drain(
    settings, registry, tmp_path, written_by
) -> None:
    """Terms written by an older stemmer would not meet today's query terms, and an index of an
    older schema lacks today's fields: drain rebuilds first."""
    settings.RECTORATE_SEARCH_SOURCE = "tests.search.sources.all_documents"
    tantivy = TantivyBackend(tmp_path / "index")
    tantivy.rebuild(list(registry.values())[:3])
    live = tantivy.index_dir / (tantivy.index_dir / "CURRENT").read_text().strip()
    (live / VERSION_FILE).write_text(written_by)
    assert not tantivy.is_current()
    report = sync.drain(sources.project, tantivy)
    assert report.ok
    assert tantivy.is_current()
    assert tantivy.count() == 12


def test_drain_with_the_index_down_keeps_every_entry(registry, unreachable, index) -> None:
    """Nothing is lost while the index is unavailable: entries stay with attempts and the error."""
    for doc_id in ("doc-01", "doc-02", "doc-03"):
        sync.enqueue(doc_id)
    report = sync.drain(sources.project, unreachable)
    assert not report.ok
    assert report.entries == 0
    entries = list(OutboxEntry.objects.order_by("id"))
    assert [e.document_id for e in entries] == ["doc-01", "doc-02", "doc-03"]
    assert all(e.attempts == 1 and "BackendError" in e.last_error for e in entries)
    sync.drain(sources.project, unreachable)
    assert set(OutboxEntry.objects.values_list("attempts", flat=True)) == {2}
    lag = sync.index_lag()
    assert lag.is_behind and lag.pending == 3 and lag.oldest_age is not None
    # The index is back: the same entries reach it and leave the outbox.
    report = sync.drain(sources.project, index)
    assert report.ok and report.indexed == 3
    assert sorted(index.ids()) == ["doc-01", "doc-02", "doc-03"]
    assert not sync.index_lag().is_behind
    assert sync.index_lag().oldest_age is None


def test_a_failing_projector_keeps_entries(index) -> None:
    def broken(document_id: str):
        raise ValueError("registry unavailable")

    sync.enqueue("doc-01")
    report = sync.drain(broken, index)
    assert "registry unavailable" in report.error
    assert OutboxEntry.objects.get().attempts == 1
    assert index.count() == 0


def test_index_lag_reports_the_oldest_entry() -> None:
    entry = sync.enqueue("doc-01")
    OutboxEntry.objects.filter(pk=entry.pk).update(created_at=entry.created_at - timedelta(minutes=10))
    sync.enqueue("doc-02")
    lag = sync.index_lag()
    assert lag.pending == 2
    assert lag.oldest_age is not None and lag.oldest_age >= timedelta(minutes=10)


def test_reconcile_reindexes_missing_and_deletes_orphans(registry, index) -> None:
    index.index(list(registry.values())[:6])
    orphan = corpus()[0].__class__(id="orphan", title="Lost")
    index.index([orphan])
    report = sync.reconcile(index, sources.all_documents)
    assert report.orphans == ["orphan"]
    assert report.missing == sorted(list(registry)[6:])
    assert sorted(index.ids()) == sorted(registry)
    assert sync.reconcile(index, sources.all_documents) == sync.ReconcileReport([], [])


def test_rebuild_from_the_source(registry, index) -> None:
    index.index([corpus()[0].__class__(id="stale", title="Old")])
    assert sync.rebuild(index, sources.all_documents) == 12
    assert sorted(index.ids()) == sorted(registry)


def test_unreachable_backend_raises_a_safe_error(unreachable) -> None:
    with pytest.raises(BackendError, match="unavailable"):
        unreachable.search(SearchQuery(text="exam", scope=PermissionScope.everything()))
    assert not unreachable.healthy()


@pytest.fixture(params=search_backend_names())
def configured(request, settings, tmp_path, registry):
    settings.RECTORATE_SEARCH_PROJECTOR = "tests.search.sources.project"
    settings.RECTORATE_SEARCH_SOURCE = "tests.search.sources.all_documents"
    with configured_search_backend(request.param, settings, tmp_path):
        yield settings


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("search", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_command_rebuild_search_reconcile_drain(configured, registry) -> None:
    assert "12 documents" in run("rebuild")
    result = json.loads(run("студент", "--json"))
    assert result["total"] == 3
    assert {h["id"] for h in result["hits"]} == {"doc-01", "doc-02", "doc-03"}
    assert dict(result["facets"]["kind"]) == {"grade_statement": 1, "order": 2}
    assert "<mark>" in result["hits"][0]["title"] + "".join(result["hits"][0]["snippets"])
    only_orders = json.loads(run("студент", "--kind", "order", "--json"))
    assert {h["id"] for h in only_orders["hits"]} == {"doc-02", "doc-03"}
    plain = run("ВЕД-2026-000123")
    assert plain.splitlines()[0] == "1 documents"
    assert "doc-01" in plain
    del registry["doc-05"]
    assert "deleted 1 orphans" in run("reconcile")
    sync.enqueue("doc-04", "delete")
    assert "deleted 1" in run("drain")
    assert OutboxEntry.objects.count() == 0


def test_command_bad_input_is_a_command_error(configured) -> None:
    with pytest.raises(CommandError, match="Unknown sort"):
        run("exam", "--sort", "title")
    with pytest.raises(CommandError, match="page size"):
        run("exam", "--size", "0")


def test_drain_task_runs_through_django_tasks(configured, registry) -> None:
    from search.backends import get_backend
    from search.tasks import drain_search_outbox

    sync.enqueue("doc-01")
    result = drain_search_outbox.enqueue()
    assert result.return_value == {"indexed": 1, "deleted": 0, "entries": 1, "error": ""}
    assert list(get_backend().ids()) == ["doc-01"]
