"""Writing and verifying the hash-chained audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from records.models.audit import GENESIS, AuditEvent, AuditHead


def actor_repr(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    return user.get_username()


def audit_record(
    *,
    actor: Any,
    action: str,
    document: Any = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str | int = "",
) -> AuditEvent:
    """Append one event to the chain. Runs inside the caller's transaction (or its own)."""
    with transaction.atomic():
        AuditHead.objects.bulk_create([AuditHead(pk=1)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            id=head.last_id + 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_repr=actor_repr(actor),
            action=action,
            document=document,
            object_type=object_type,
            object_id=str(object_id),
            changes=changes or {},
            prev_hash=head.last_hash,
        )
        # JSON round trip so the hash is computed over exactly what the database stores.
        event.changes = _jsonable(event.changes)
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(last_id=event.id, last_hash=event.hash)
    return event


def _jsonable(value: Any) -> Any:
    """What the database stores: JSON types only, without NUL characters (PostgreSQL's jsonb refuses them)."""
    import json

    from records.models.audit import canonical_json

    return _without_nul(json.loads(canonical_json(value)))


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


@dataclass
class ChainReport:
    """Result of verifying the audit chain."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""


def _events() -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last).order_by("id")[:5000])
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def audit_verify(progress: Any = None) -> ChainReport:
    """Walk the chain from the first event; name the first event that was altered or removed."""
    prev_hash = GENESIS
    expected_id = 1
    checked = 0
    for event in _events():
        if event.id != expected_id:
            return ChainReport(False, checked, expected_id, f"event #{expected_id} is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(False, checked, event.id, f"event #{event.id} does not follow its predecessor")
        if event.compute_hash() != event.hash:
            return ChainReport(False, checked, event.id, f"event #{event.id} was altered")
        prev_hash = event.hash
        expected_id += 1
        checked += 1
        if progress is not None:
            progress(1)
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id != checked or head.last_hash != prev_hash):
        return ChainReport(False, checked, checked + 1, f"events after #{checked} were removed")
    return ChainReport(True, checked)
