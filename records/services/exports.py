"""The current PDF of a document: the last signed revision, else the rendered version."""

from __future__ import annotations

from records.models import Document, Signature


def document_current_pdf(document: Document) -> bytes | None:
    """Bytes of the newest PDF of the current version: renewed, else signed, else rendered."""
    from records.models import ArchiveTimestamp

    renewal = (
        ArchiveTimestamp.objects.filter(document=document).select_related("pdf_blob").order_by("-id").first()
    )
    if renewal is not None:
        return renewal.pdf_blob.read()
    signature = (
        Signature.objects.filter(document=document, version=document.current_version, void=False)
        .exclude(pdf_blob=None)
        .select_related("pdf_blob")
        .order_by("-revision", "-id")
        .first()
    )
    if signature is not None and signature.pdf_blob is not None:
        return signature.pdf_blob.read()
    version = document.current_version
    if version is not None and version.pdf_blob is not None:
        return version.pdf_blob.read()
    return None
