"""What every projection shares: the documents in force and the replay mode."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet

from records.models import AuditEvent, Document


@dataclass
class ReplayContext:
    """Work deferred to the end of a replay: people whose derived rows are recomputed once."""

    status_people: set[int] = field(default_factory=set)
    grade_people: set[int] = field(default_factory=set)


_REPLAY: contextvars.ContextVar[ReplayContext | None] = contextvars.ContextVar("records_replay", default=None)


def replay_context() -> ReplayContext | None:
    """The running replay, or None during live registration."""
    return _REPLAY.get()


@contextmanager
def replaying() -> Iterator[ReplayContext]:
    """Run projections in replay mode: no contradiction checks (they passed at registration), deferred recomputation."""
    context = ReplayContext()
    token = _REPLAY.set(context)
    try:
        yield context
    finally:
        _REPLAY.reset(token)


def in_force(kinds: list[str] | None = None) -> QuerySet[Document]:
    """Registered documents never revoked, in registration order (registered_at, id).

    Superseded, archived or disposed documents stay in: those transitions do not undo a projection.
    """
    revoked = AuditEvent.objects.filter(document=OuterRef("pk"), action="document.revoke")
    queryset = Document.objects.filter(registered_at__isnull=False).exclude(state="revoked")
    if kinds is not None:
        queryset = queryset.filter(kind__in=kinds)
    return queryset.filter(~Exists(revoked)).order_by("registered_at", "id")
