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
from records.models import Document, OrgUnit, Person, Version
from records.services.audit import audit_record
from records.services.document import _data_sha256
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
    clean = document_kind.validate(data)
    if document_kind.validate_db is not None:
        clean = document_kind.validate_db(clean, org_unit)
    now = registered_at or timezone.now()
    with transaction.atomic():
        document = Document(
            kind=kind,
            title=title[:500],
            org_unit=org_unit,
            org_path=org_unit.path,
            subject=subject,
            created_by=by,
            retention_class=document_kind.retention_class,
            state=State.REGISTERED,
            registered_at=now,
        )
        document.save()
        version = Version.objects.create(
            document=document,
            number=1,
            data=clean,
            data_sha256=_data_sha256(clean),
            author=by,
            frozen=True,
            frozen_at=now,
        )
        document.current_version = version
        registration_reserve_number(document=document)
        document.save(
            update_fields=[
                "current_version",
                "registry_series",
                "registry_year",
                "registry_seq",
                "registry_number",
            ]
        )
        audit_record(
            actor=by,
            action="document.create",
            document=document,
            changes={
                "kind": kind,
                "title": document.title,
                "org_unit": org_unit.code,
                "data": clean,
                "bulk": True,
            },
        )
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
