"""Archival renewals: a fresh document timestamp added to a registered PDF before its chain expires."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.blob import Blob
from records.models.document import Document


class ArchiveTimestamp(models.Model):
    """One renewal: the new PDF revision (earlier bytes are kept, never rewritten) and its new expiry."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="archive_timestamps")
    pdf_blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    previous_expiry = models.DateTimeField(_("previous expiry"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("renewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("archive timestamp")
        verbose_name_plural = _("archive timestamps")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} renewed {self.created_at:%Y-%m-%d}"
