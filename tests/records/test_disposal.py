"""Disposal at the end of retention destroys content and keeps a residual record (hashes, events)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from records.errors import RecordsError
from records.models import AuditEvent, Blob, Document, Role
from records.search_projection import project
from records.services.document import document_transition


def test_dispose_needs_expired_retention_then_destroys_bytes_and_keeps_hashes(
    users: dict[str, Any], registered_doc: Document
) -> None:
    archivist = users[Role.ARCHIVIST]
    doc = document_transition(document=registered_doc, by=archivist, name="archive")
    with pytest.raises(RecordsError):  # internal orders are kept permanently
        document_transition(document=doc, by=archivist, name="dispose", reason="срок истёк")

    Document.objects.filter(pk=doc.pk).update(retention_class="5y")
    Document.objects.filter(pk=doc.pk).update(registered_at=doc.registered_at - dt.timedelta(days=6 * 366))
    doc.refresh_from_db()
    version = doc.current_version
    pdf_sha = version.pdf_blob_id
    doc = document_transition(document=doc, by=archivist, name="dispose", reason="срок истёк")

    assert doc.state == "disposed"
    event = AuditEvent.objects.filter(document=doc, action="document.dispose").get()
    assert pdf_sha in event.changes["residual"]["destroyed_files"]
    version.refresh_from_db()
    assert version.data == {} and len(version.data_sha256) == 64
    with pytest.raises(RecordsError):
        Blob.objects.get(pk=pdf_sha).read()
    assert project(str(doc.pk)) is None  # gone from the index
