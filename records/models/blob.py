"""Content-addressed files: the SHA-256 is the name, and it is checked on every read."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from records.errors import RecordsError


def blob_storage():  # type: ignore[no-untyped-def]
    return storages["blobs"]


def blob_path(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


class Blob(models.Model):
    """A stored file named by its SHA-256; never overwritten."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.PositiveBigIntegerField()
    media_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the bytes were destroyed at disposal; the hash and size remain as evidence.
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("blob")
        verbose_name_plural = _("blobs")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.media_type}, {self.size} B)"

    @classmethod
    def store(cls, content: bytes, media_type: str) -> Blob:
        """Store `content` (idempotent: the same bytes give the same blob)."""
        sha256 = hashlib.sha256(content).hexdigest()
        storage = blob_storage()
        path = blob_path(sha256)
        if not storage.exists(path):
            storage.save(path, ContentFile(content))
        blob, _created = cls.objects.get_or_create(
            sha256=sha256, defaults={"size": len(content), "media_type": media_type}
        )
        return blob

    def read(self) -> bytes:
        """The bytes, verified against the SHA-256; a mismatch raises instead of returning bad bytes."""
        if self.destroyed_at is not None:
            raise RecordsError(
                "blob_destroyed",
                _("This file was destroyed at disposal on %(date)s."),
                date=f"{self.destroyed_at:%Y-%m-%d}",
            )
        try:
            with blob_storage().open(blob_path(self.sha256), "rb") as fh:
                content = fh.read()
        except OSError as exc:
            raise RecordsError(
                "blob_missing",
                _("Stored file %(sha)s is missing from the file store."),
                sha=self.sha256,
            ) from exc
        if hashlib.sha256(content).hexdigest() != self.sha256:
            raise RecordsError(
                "blob_corrupt",
                _("Stored file %(sha)s is corrupt: its content does not match its hash."),
                sha=self.sha256,
            )
        return content
