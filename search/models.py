"""The search outbox: index changes written in the caller's transaction, drained by the worker."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEntry(models.Model):
    """One pending index change of a registry document."""

    class Operation(models.TextChoices):
        INDEX = "index", _("index")
        DELETE = "delete", _("delete")

    document_id = models.CharField(_("document id"), max_length=200, db_index=True)
    operation = models.CharField(_("operation"), max_length=10, choices=Operation.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")

    def __str__(self) -> str:
        return f"{self.operation} {self.document_id}"
