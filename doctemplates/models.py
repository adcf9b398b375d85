"""The versioned template store: a template per kind and language, immutable DOCX versions.

A version's DOCX lives content-addressed in ``storages["blobs"]`` at ``<sha[:2]>/<sha>`` (the layout
the registry's blobs use), and is checked against its SHA-256 whenever it is read. At most one
version of a template is active; the others stay as history.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Template(models.Model):
    """The template slot of one document kind (by code) in one language."""

    kind = models.CharField(_("kind"), max_length=50)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        ordering = ["kind", "language"]
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="unique_template_slot")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.language}"


# Fields that may change after a version is stored; everything else is immutable.
MUTABLE_FIELDS = frozenset({"active", "active_from", "active_until"})


class TemplateVersion(models.Model):
    """One uploaded DOCX of a template: immutable once stored; only its activation changes."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    active_from = models.DateTimeField(_("active from"), null=True, blank=True)
    active_until = models.DateTimeField(_("active until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=False)
    # Set when stored, from the check at upload: the sample preview and the font warnings.
    preview_sha256 = models.CharField(max_length=64, blank=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="unique_template_version_number"),
            models.UniqueConstraint(
                fields=["template"], condition=models.Q(active=True), name="one_active_template_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number} ({self.sha256[:12]})"

    @property
    def identifier(self) -> str:
        """What a rendering records as its template: ``tv:<id>:<sha256[:16]>``."""
        return f"tv:{self.pk}:{self.sha256[:16]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any change to a stored version except its activation."""
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= MUTABLE_FIELDS:
                raise ValueError("A stored template version is immutable; only its activation may change.")
        super().save(*args, **kwargs)


class TemplateAsset(models.Model):
    """One uploaded version of a picture templates show (the university's emblem): immutable once stored.

    The bytes live content-addressed like template versions; at most one version of a name is
    active, the others stay as history so an old rendering can name the picture it used.
    """

    name = models.CharField(_("asset"), max_length=50)
    number = models.PositiveIntegerField(_("version"))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    media_type = models.CharField(max_length=50)
    width_px = models.PositiveIntegerField()
    height_px = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("template asset")
        verbose_name_plural = _("template assets")
        ordering = ["name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["name", "number"], name="unique_template_asset_number"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(active=True), name="one_active_template_asset"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number} ({self.sha256[:12]})"

    @property
    def identifier(self) -> str:
        """What a rendering records as the picture it used: ``asset:<id>:<sha256[:16]>``."""
        return f"asset:{self.pk}:{self.sha256[:16]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any change to a stored asset except its activation."""
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= {"active"}:
                raise ValueError("A stored template asset is immutable; only its activation may change.")
        super().save(*args, **kwargs)
