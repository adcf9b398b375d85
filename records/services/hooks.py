"""Reactions to document changes that must not know each other: the search index outbox, and the
verification reports prepared by the worker once a document's signing or timestamping completes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from search.sync import enqueue, enqueue_many
from search.tasks import drain_search_outbox


def document_changed(document: Any) -> None:
    """Call inside the change's transaction: the outbox row commits or rolls back with it."""
    enqueue(str(document.pk))
    transaction.on_commit(_drain_later)


def documents_changed(documents: list[Any]) -> None:
    """`document_changed` of a batch: one INSERT of the outbox rows, one drain after commit."""
    enqueue_many([str(document.pk) for document in documents])
    transaction.on_commit(_drain_later)


def _drain_later() -> None:
    drain_search_outbox.enqueue()


def document_signed(document: Any) -> None:
    """Call inside the transaction that registers a signed document or stores its renewed timestamp:
    after commit the worker computes today's verification report of the new PDF in every language,
    so the report page reads it instead of validating while a person waits."""
    if not getattr(settings, "RECTORATE_VERIFY_PRECOMPUTE", True):
        return
    document_id = document.pk
    transaction.on_commit(lambda: _prepare_later(document_id))


def _prepare_later(document_id: int) -> None:
    from records.tasks import prepare_verification_reports

    # Below the default priority: a batch someone is waiting for (signing, rendering, an export) and
    # the demo's history go first; a report nobody has asked for yet can wait a little.
    prepare_verification_reports.using(priority=-10).enqueue(document_id)
