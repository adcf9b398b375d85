"""Why a draft came back: the last rejection of documents the caller has already loaded.

The author of a rejected document must see the reason where they work (the dashboard, the
document page), not only in the audit trail, which authors may not read. The caller passes
documents it obtained through a visibility selector; only their rejection events are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from records.lifecycle import State
from records.models import AuditEvent, Document


@dataclass(frozen=True)
class Rejection:
    """Who sent the document back, when, and why."""

    by: str
    at: dt.datetime
    reason: str


def last_rejections(documents: Iterable[Document]) -> dict[int, Rejection]:
    """The latest rejection of each draft among `documents` (drafts never rejected are absent)."""
    drafts = [d.pk for d in documents if d.state == State.DRAFT]
    if not drafts:
        return {}
    events = (
        AuditEvent.objects.filter(document_id__in=drafts, action="document.reject")
        .select_related("actor")
        .order_by("document_id", "id")
    )
    found: dict[int, Rejection] = {}
    for event in events:
        actor = event.actor
        name = (actor.get_full_name() or actor.get_username()) if actor is not None else event.actor_repr
        reason = event.changes.get("reason", "") if isinstance(event.changes, dict) else ""
        found[event.document_id or 0] = Rejection(by=str(name), at=event.created_at, reason=str(reason))
    return found
