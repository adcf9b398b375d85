"""Transfers to the archive: the BagIt bags exported, and the records a registered transfer act marks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.document import Document
from records.models.job import Job


class ArchiveTransfer(models.Model):
    """One export: a BagIt bag of a series or a selection, written by a background job.

    The bag's identity for the transfer act: its External-Identifier (``identifier``), its
    Payload-Oxum and the SHA-256 of its payload manifest (``manifest-sha256.txt``)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    identifier = models.CharField(_("identifier"), max_length=60, unique=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    selection = models.JSONField(_("selection"), default=dict)
    series_index = models.CharField(_("series"), max_length=60, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bag_path = models.CharField(_("bag"), max_length=1000, blank=True)
    document_ids = models.JSONField(default=list)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    payload_oxum = models.CharField(_("payload oxum"), max_length=60, blank=True)
    manifest_sha256 = models.CharField(_("manifest digest"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer to the archive")
        verbose_name_plural = _("transfers to the archive")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.identifier


class TransferredRecord(models.Model):
    """A record a registered transfer act handed to the archive (a projection of the act; the
    signed bytes are not touched). ``released``: the act released the registry's copy."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    act = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    bag_identifier = models.CharField(max_length=60)
    released = models.BooleanField(default=False)
    transferred_at = models.DateTimeField()

    class Meta:
        verbose_name = _("transferred record")
        verbose_name_plural = _("transferred records")
        constraints = [models.UniqueConstraint(fields=["document", "act"], name="unique_transferred_record")]

    def __str__(self) -> str:
        return f"{self.document_id} by act {self.act_id}"
