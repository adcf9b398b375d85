"""Documents and their versions: the heart of the registry."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from records import lifecycle
from records.models.blob import Blob
from records.models.org import OrgUnit, Person


def new_verification_code() -> str:
    """A short unguessable code printed under the QR code (base32, no ambiguous letters)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Document(ConcurrentTransitionMixin, lifecycle.DocumentLifecycle, models.Model):
    """Identity and current state of one record; its content lives in versions."""

    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    # The title the kind makes in kk, ru and en (records.kinds.titles); empty when a person typed it.
    titles = models.JSONField(default=dict, blank=True, editable=False)
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT)
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    subject = models.ForeignKey(
        Person,
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents_about",
    )
    state = FSMField(
        _("state"),
        default=lifecycle.State.DRAFT,
        choices=lifecycle.State.choices,
        protected=True,
        db_index=True,
    )
    lock_version = models.PositiveIntegerField(default=0)
    registry_series = models.CharField(_("series"), max_length=30, blank=True)
    registry_year = models.PositiveIntegerField(_("registry year"), null=True, blank=True)
    registry_seq = models.PositiveIntegerField(null=True, blank=True)
    registry_number = models.CharField(_("registry number"), max_length=60, blank=True, db_index=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    verification_code = models.CharField(max_length=16, unique=True, default=new_verification_code)
    current_version = models.ForeignKey(
        "records.Version", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retention_class = models.CharField(_("retention class"), max_length=30, blank=True)
    # Case-folded number and title: SQLite's LIKE folds only ASCII, so Cyrillic search uses this.
    search_key = models.TextField(editable=False, default="")
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry_series", "registry_year", "registry_seq"],
                condition=models.Q(registry_seq__isnull=False),
                name="unique_registry_number",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "state"]),
            models.Index(fields=["org_path", "state"]),
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["kind", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.registry_number or _('(no number)')} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        translations = " ".join(v for v in (self.titles or {}).values() if v != self.title)
        # The kind's titles in the other languages too, so a reader finds a document by the title shown.
        self.search_key = (
            f"{self.registry_number} {self.title}{' ' + translations if translations else ''}".casefold()
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    @property
    def display_title(self) -> str:
        """The title in the active language: the kind's translation when kept, else the stored one."""
        language = (get_language() or "ru")[:2]
        return str(self.titles.get(language) or self.title) if isinstance(self.titles, dict) else self.title

    @property
    def year(self) -> int:
        return self.registry_year or self.created_at.year


class Version(models.Model):
    """A snapshot of a document's data; drafts are edited in place, frozen versions never change."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("data"), default=dict)
    data_sha256 = models.CharField(max_length=64, blank=True)
    frozen = models.BooleanField(default=False)
    frozen_at = models.DateTimeField(null=True, blank=True)
    template_version = models.CharField(max_length=100, blank=True)
    provenance = models.JSONField(default=dict, blank=True)
    docx_blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pdf_blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_version_number")]

    def __str__(self) -> str:
        return f"v{self.number}"


class RegistryCounter(models.Model):
    """The last number given in a series and year; locked while a number is taken (gapless)."""

    series = models.CharField(max_length=30)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="unique_series_year")]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last_value}"
