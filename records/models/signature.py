"""Signatures: who signed which version, in which role, with which certificate, producing which bytes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.blob import Blob
from records.models.document import Document, Version


class Signature(models.Model):
    """One signature of one route step on one frozen version."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="signatures")
    step = models.CharField(_("route step"), max_length=40)
    role = models.CharField(_("role"), max_length=30)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signer"), max_length=300)
    certificate_sha256 = models.CharField(_("certificate fingerprint"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    revision = models.PositiveIntegerField(_("PDF revision"), default=0)
    pdf_blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    void = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["document", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "step"], condition=models.Q(void=False), name="one_signature_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.role})"
