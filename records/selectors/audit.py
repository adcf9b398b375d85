"""The audit trail as the caller may read it: the system-wide chain and the access log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from records.models import AccessEvent, AuditEvent, AuditHead
from records.permissions import may_read_system_trail


def access_events_visible_to(*, user: Any) -> QuerySet[AccessEvent]:
    """The system-wide access log (reads): the same people as the system-wide trail."""
    if not may_read_system_trail(user):
        return AccessEvent.objects.none()
    return AccessEvent.objects.select_related("actor", "document").order_by("-id")


def audit_events_visible_to(*, user: Any) -> QuerySet[AuditEvent]:
    """The system-wide trail: auditors, administrators and the rector only."""
    if not may_read_system_trail(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor", "document").order_by("-id")


def audit_chain_head() -> str:
    """The hash of the chain's newest event: it changes with every audited write (one query), so a
    cached fragment keyed by it is never served after a change it could show."""
    return AuditHead.objects.filter(pk=1).values_list("last_hash", flat=True).first() or ""


def audit_event_count() -> int:
    """How many events the chain holds (an operator's progress bar; no permission scope)."""
    return AuditEvent.objects.count()


def audit_events_filtered(
    *, user: Any, action: str = "", actor: str = "", reads: bool = False
) -> QuerySet[AuditEvent] | QuerySet[AccessEvent]:
    """The events (or, with `reads`, the reads) the selector grants, narrowed by action prefix and actor."""
    events: QuerySet[Any] = (
        access_events_visible_to(user=user) if reads else audit_events_visible_to(user=user)
    )
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_repr__iexact=actor)
    return events
