"""Long work (batch rendering, batch signing, reindexing, replay) with progress the UI and CLI show."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One batch of background work: chunked, idempotent, resumable; progress is `done`/`total`."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        STOPPED = "stopped", _("Stopped")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind of work"), max_length=50)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # Per item (document id as string): "ok" or the reason it failed; makes a resumed job skip finished items.
    results = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    stop_requested = models.BooleanField(default=False)
    # Set by the process running the job every few seconds; a running job without one for
    # RECTORATE_JOB_STALE_SECONDS lost its process (killed, crashed) and becomes failed and resumable.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 100
