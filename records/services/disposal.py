"""Disposal at the end of retention: content is destroyed, a residual record remains.

What remains: the document row (number, kind, dates, state "disposed"), its versions with their
data hashes, every audit event, and the SHA-256 and size of every destroyed file — enough to prove
what existed and that it was destroyed, nothing more.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from records.models import ArchiveTimestamp, Blob, Document, Filing, Signature, Version
from records.models.blob import blob_path, blob_storage


def _document_blob_shas(document: Document) -> set[str]:
    shas: set[str] = set()
    for version in Version.objects.filter(document=document):
        shas.update(sha for sha in (version.docx_blob_id, version.pdf_blob_id) if sha)
    shas.update(
        sha
        for sha in Signature.objects.filter(document=document).values_list("pdf_blob_id", flat=True)
        if sha
    )
    shas.update(ArchiveTimestamp.objects.filter(document=document).values_list("pdf_blob_id", flat=True))
    return shas


def _still_needed(sha: str, document: Document) -> bool:
    """Another document that is not disposed still holds these bytes (content addressing shares them)."""
    others = ~Q(document=document) & ~Q(document__state="disposed")
    return (
        Version.objects.filter(others, Q(docx_blob_id=sha) | Q(pdf_blob_id=sha)).exists()
        or Signature.objects.filter(others, pdf_blob_id=sha).exists()
        or ArchiveTimestamp.objects.filter(others, pdf_blob_id=sha).exists()
    )


def dispose_content(document: Document) -> dict[str, Any]:
    """Destroy the content of `document` (inside the dispose transition); returns the residual facts."""
    destroyed: dict[str, int] = {}
    for sha in sorted(_document_blob_shas(document)):
        blob = Blob.objects.get(pk=sha)
        if _still_needed(sha, document):
            continue
        storage = blob_storage()
        if storage.exists(blob_path(sha)):
            storage.delete(blob_path(sha))
        blob.destroyed_at = timezone.now()
        blob.save(update_fields=["destroyed_at"])
        destroyed[sha] = blob.size
    data_hashes = {}
    for version in Version.objects.filter(document=document):
        data_hashes[str(version.number)] = version.data_sha256
        version.data = {}
        version.save(update_fields=["data"])
    # The due list reads the filing alone (records/models/fileplan.py): it stops listing the record.
    Filing.objects.filter(document=document).update(disposed=True)
    return {"destroyed_files": destroyed, "data_sha256": data_hashes}
