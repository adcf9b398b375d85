"""Retention classes: how long a registered document is kept before it may be disposed of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from records.retention import RETENTION_CLASSES, retention_runs_out

if TYPE_CHECKING:
    from records.models import Document

__all__ = ["RETENTION_CLASSES", "retention_expired"]


def retention_expired(document: Document) -> bool:
    """True when the document's retention period has run out."""
    return retention_runs_out(document.retention_class, document.registered_at, timezone.now())
