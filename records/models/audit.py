"""The audit trail: append-only, hash-chained; the database refuses UPDATE and DELETE."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


class AuditEvent(models.Model):
    """One action: who, when, what, on which document, and what changed."""

    created_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_repr = models.CharField(max_length=200)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    document = models.ForeignKey(
        "records.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(_("what changed"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor_repr}"

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor_repr,
            "action": self.action,
            "document_id": self.document_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "changes": self.changes,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + canonical_json(self.payload())).encode()).hexdigest()


class AuditHead(models.Model):
    """Single row holding the chain's last hash; locked while an event is appended."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"audit head #{self.last_id}"


class AccessEvent(models.Model):
    """One read: who viewed, downloaded or searched which record, when.

    Append-only like the chain (the database refuses UPDATE and DELETE), but written with a plain
    INSERT: a read never takes the chain head's lock. The rows are sealed by the checkpoints instead
    (a running digest up to the checkpoint's last read), so a read altered or removed before the
    newest checkpoint is caught by ``audit verify``.
    """

    created_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_repr = models.CharField(max_length=200)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    document = models.ForeignKey(
        "records.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="access_events"
    )
    details = models.JSONField(_("details"), default=dict)

    class Meta:
        verbose_name = _("read")
        verbose_name_plural = _("reads")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"read #{self.pk} {self.action} by {self.actor_repr}"

    @property
    def changes(self) -> dict[str, Any]:
        """The details, under the name the trail's templates use for events."""
        return dict(self.details)

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor_repr,
            "action": self.action,
            "document_id": self.document_id,
            "details": self.details,
        }


class IntegrityState(models.Model):
    """Where the incremental fixity check stopped and its newest complete result; one row, also the
    lock held while a checkpoint is taken."""

    version_after = models.BigIntegerField(default=0)
    blob_after = models.CharField(max_length=64, default="")
    document_after = models.BigIntegerField(default=0)
    pass_counts = models.JSONField(default=dict)
    pass_problems = models.JSONField(default=list)
    pass_started_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_ok = models.BooleanField(null=True)
    completed_counts = models.JSONField(default=dict)
    completed_problems = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"integrity state (fixity: versions after {self.version_after})"
