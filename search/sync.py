"""Keeping the index in step with the registry: outbox, drain, rebuild, reconcile, lag.

The registry calls ``enqueue`` inside the transaction of every change that affects the index, so the
outbox row commits (or rolls back) with the change. A worker calls ``drain``: it asks the projector
(``settings.RECTORATE_SEARCH_PROJECTOR``, a dotted path to ``id -> SearchDocument | None``) for the
current search document of each pending id and removes entries only after the backend accepted the
batch, so nothing is lost while the index is unavailable. ``rebuild`` and ``reconcile`` read every
document from ``settings.RECTORATE_SEARCH_SOURCE`` (a dotted path to a callable yielding them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from search.backends import get_backend
from search.backends.base import SearchBackend, SearchDocument
from search.models import OutboxEntry
from search.query import SearchError

Projector = Callable[[str], SearchDocument | None]
Source = Callable[[], Iterable[SearchDocument]]
DEFAULT_BATCH = 500
MAX_ERROR_CHARS = 2000


class OutboxError(SearchError):
    """An outbox request is malformed."""


def get_projector() -> Projector:
    """The projector named by settings.RECTORATE_SEARCH_PROJECTOR."""
    return cast(Projector, _load("RECTORATE_SEARCH_PROJECTOR"))


def get_source() -> Source:
    """The source of all documents named by settings.RECTORATE_SEARCH_SOURCE."""
    return cast(Source, _load("RECTORATE_SEARCH_SOURCE"))


def _load(setting: str) -> object:
    path = getattr(settings, setting, "")
    if not path:
        raise ImproperlyConfigured(f"settings.{setting} must name a callable (dotted path)")
    return import_string(path)


def enqueue(document_id: str, op: str = OutboxEntry.Operation.INDEX) -> OutboxEntry:
    """Record that a document's index entry must be refreshed (or deleted); call inside the change's transaction."""
    if op not in OutboxEntry.Operation.values:
        raise OutboxError(_("Unknown index operation %(op)s.") % {"op": op})
    if not isinstance(document_id, str) or not document_id or len(document_id) > 200:
        raise OutboxError(_("A document id of 1 to 200 characters is required."))
    return OutboxEntry.objects.create(document_id=document_id, operation=op)


def enqueue_many(document_ids: list[str]) -> None:
    """`enqueue` of many documents (a batch) in one INSERT; call inside the change's transaction."""
    for document_id in document_ids:
        if not isinstance(document_id, str) or not document_id or len(document_id) > 200:
            raise OutboxError(_("A document id of 1 to 200 characters is required."))
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(document_id=i, operation=OutboxEntry.Operation.INDEX) for i in document_ids],
        batch_size=500,
    )


@dataclass(frozen=True)
class DrainReport:
    """What one drain did: documents indexed and deleted, entries processed, the error if it stopped."""

    indexed: int = 0
    deleted: int = 0
    entries: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the drain stopped because the outbox was empty."""
        return not self.error


def drain(
    projector: Projector | None = None,
    backend: SearchBackend | None = None,
    *,
    batch: int = DEFAULT_BATCH,
    max_batches: int | None = None,
) -> DrainReport:
    """Apply pending outbox entries in order; on a failure keep them and record the error.

    An index written by another analysis version is rebuilt from the source first: its terms would
    not meet the terms of today's queries.
    """
    projector = projector or get_projector()
    backend = backend or get_backend()
    if not backend.is_current():
        try:
            rebuild(backend)
        except Exception as exc:  # the entries stay; the next drain tries again
            return DrainReport(error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS])
    indexed = deleted = entries = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        pending = list(OutboxEntry.objects.order_by("id")[:batch])
        if not pending:
            break
        batches += 1
        # The last entry of a document decides; the projector always gives its current state.
        last_op = {entry.document_id: entry.operation for entry in pending}
        try:
            docs: list[SearchDocument] = []
            to_delete: list[str] = []
            for document_id, op in last_op.items():
                doc = projector(document_id) if op == OutboxEntry.Operation.INDEX else None
                if doc is None:
                    to_delete.append(document_id)
                else:
                    docs.append(doc)
            if docs:
                backend.index(docs)
            if to_delete:
                backend.delete(to_delete)
        except Exception as exc:  # the backend or projector failed: keep every entry for a retry
            message = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
            _record_failure([entry.pk for entry in pending], message)
            return DrainReport(indexed, deleted, entries, message)
        # Only the rows taken are removed: a change enqueued meanwhile stays for the next batch.
        OutboxEntry.objects.filter(pk__in=[entry.pk for entry in pending]).delete()
        indexed += len(docs)
        deleted += len(to_delete)
        entries += len(pending)
    return DrainReport(indexed, deleted, entries)


def _record_failure(pks: list[int], message: str) -> None:
    with transaction.atomic():
        for entry in OutboxEntry.objects.filter(pk__in=pks):
            entry.attempts += 1
            entry.last_error = message
            entry.save(update_fields=["attempts", "last_error"])


@dataclass(frozen=True)
class IndexLag:
    """How far the index is behind the registry."""

    pending: int
    oldest_age: timedelta | None

    @property
    def is_behind(self) -> bool:
        """True when changes are waiting to reach the index."""
        return self.pending > 0


def index_lag() -> IndexLag:
    """Number of pending outbox entries and the age of the oldest one."""
    pending = OutboxEntry.objects.count()
    oldest = OutboxEntry.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return IndexLag(pending, timezone.now() - oldest if oldest else None)


def rebuild(
    backend: SearchBackend | None = None,
    source: Source | None = None,
    progress: Callable[[Iterator[SearchDocument]], Iterator[SearchDocument]] | None = None,
) -> int:
    """Build a fresh index from every source document and swap it in."""
    backend = backend or get_backend()
    docs = iter((source or get_source())())
    return backend.rebuild(progress(docs) if progress else docs)


@dataclass(frozen=True)
class ReconcileReport:
    """Ids re-indexed because the index lacked them, and orphans deleted from the index."""

    missing: list[str]
    orphans: list[str]


def reconcile(backend: SearchBackend | None = None, source: Source | None = None) -> ReconcileReport:
    """Compare ids in the index with the source; index what is missing, delete orphans."""
    backend = backend or get_backend()
    indexed = set(backend.ids())
    seen: set[str] = set()
    missing: list[str] = []
    pending: list[SearchDocument] = []
    for doc in (source or get_source())():
        seen.add(doc.id)
        if doc.id not in indexed:
            missing.append(doc.id)
            pending.append(doc)
            if len(pending) >= DEFAULT_BATCH:
                backend.index(pending)
                pending = []
    if pending:
        backend.index(pending)
    orphans = sorted(indexed - seen)
    if orphans:
        backend.delete(orphans)
    return ReconcileReport(sorted(missing), orphans)
