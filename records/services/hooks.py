"""Reactions to document changes that must not know each other: the search index outbox."""

from __future__ import annotations

from typing import Any

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
