"""Fixtures of the back-office tests: admin access for the staff users, documents to look at."""

from __future__ import annotations

from typing import Any

from records.models import AuditEvent, Document, Role
from records.services.document import document_create

DATA = {"subject": "Об учебном графике", "body": "Утвердить график.", "executor": "Регистратор"}


def make_draft(users: dict[str, Any], org: Any, by: str = Role.DEAN, title: str = "Приказ") -> Document:
    """A draft internal order of the faculty, through the service."""
    return document_create(by=users[by], kind="internal_order", org_unit=org.faculty, title=title, data=DATA)


def events_after(last_id: int) -> list[str]:
    """Actions of the audit events written after event `last_id`."""
    return list(AuditEvent.objects.filter(id__gt=last_id).order_by("id").values_list("action", flat=True))


def reads_after(last_id: int) -> list[str]:
    """Actions of the reads (access log) written after read `last_id`."""
    from records.models import AccessEvent

    return list(AccessEvent.objects.filter(id__gt=last_id).order_by("id").values_list("action", flat=True))


def last_read_id() -> int:
    """The id of the newest read in the access log (0 when there is none)."""
    from records.models import AccessEvent

    return AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def last_event_id() -> int:
    """The id of the newest audit event (0 when there is none)."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
