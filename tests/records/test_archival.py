"""Archival renewal adds a fresh document timestamp; the renewed PDF still verifies and becomes current."""

from __future__ import annotations

import io

from django.core.management import call_command

from records.models import ArchiveTimestamp, AuditEvent, Document
from records.selectors.document import document_current_pdf
from signing import api as signing_api


def test_renew_adds_a_timestamp_keeps_the_old_bytes_and_still_verifies(registered_doc: Document) -> None:
    before = document_current_pdf(registered_doc)
    out = io.StringIO()
    call_command("signatures", "renew", "--margin-days", "100000", stdout=out)
    assert "renewed 1" in out.getvalue()
    stamp = ArchiveTimestamp.objects.get(document=registered_doc)
    after = document_current_pdf(registered_doc)
    assert after != before and after.startswith(before)  # an incremental update: signed bytes untouched
    report = signing_api.verify(after)
    assert report.ok, report.problems
    assert len(report.document_timestamps) == 2
    assert (
        AuditEvent.objects.filter(document=registered_doc, action="document.archive_timestamp").count() == 1
    )
    assert stamp.expires_at is not None


def test_nothing_is_renewed_when_the_chain_is_far_from_expiry(registered_doc: Document) -> None:
    out = io.StringIO()
    call_command("signatures", "renew", "--margin-days", "0", stdout=out)
    assert "renewed 0" in out.getvalue()
    assert not ArchiveTimestamp.objects.exists()
