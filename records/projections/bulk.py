"""Registered documents in bulk, for demo histories: no rendering and no signatures, but the same
validation, registry numbers, audit events ("document.create" and "document.register" marked bulk),
search outbox and projections as a document registered through its route.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from records.kinds.base import get_kind
from records.lifecycle import State
from records.models import Document, OrgUnit, Person
from records.services.audit import audit_record
from records.services.document import _document_insert
from records.services.hooks import document_changed
from records.services.registration import registration_reserve_number


def document_register_directly(
    *,
    by: Any,
    kind: str,
    org_unit: OrgUnit,
    title: str,
    data: dict[str, Any],
    subject: Person | None = None,
    registered_at: dt.datetime | None = None,
) -> Document:
    """Create a document already registered (demo data only); its projection runs as on registration."""
    document_kind = get_kind(kind)
    now = registered_at or timezone.now()
    with transaction.atomic():
        document = _document_insert(
            by=by,
            kind=kind,
            org_unit=org_unit,
            title=title,
            data=data,
            subject=subject,
            registered_at=now,
            audit_extra={"bulk": True},
        )
        version = document.current_version
        assert version is not None
        registration_reserve_number(document=document)
        document.save(update_fields=["registry_series", "registry_year", "registry_seq", "registry_number"])
        if document_kind.project is not None:
            document_kind.project(document, version)
        audit_record(
            actor=by,
            action="document.register",
            document=document,
            changes={
                "registry_number": document.registry_number,
                "bulk": True,
                "state": {"to": State.REGISTERED},
            },
        )
        document_changed(document)
    return document
