"""Storing, reading and activating template versions (capability level: no registry knowledge).

The caller (the registry) decides who may upload and what a kind's data provides; this module
validates the DOCX, keeps it content-addressed in ``storages["blobs"]`` and keeps one active
version per kind and language.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from doctemplates.errors import DocTemplateError
from doctemplates.models import Template, TemplateAsset, TemplateVersion
from doctemplates.validation import (
    AllowedNames,
    TemplateInvalid,
    TemplateLimits,
    validate_template,
)

IDENTIFIER = re.compile(r"^tv:(?P<id>\d+):(?P<sha>[0-9a-f]{16})$")


class StoredTemplateCorrupt(DocTemplateError):
    """A stored file does not match its SHA-256 (or is missing)."""


def _storage() -> Storage:
    return storages["blobs"]


def blob_path(sha256: str) -> str:
    """Where content with this SHA-256 lives in the blob storage."""
    return f"{sha256[:2]}/{sha256}"


def blob_put(content: bytes) -> str:
    """Store ``content`` by its SHA-256 (never overwriting) and return the hash."""
    sha256 = hashlib.sha256(content).hexdigest()
    storage = _storage()
    if not storage.exists(blob_path(sha256)):
        storage.save(blob_path(sha256), ContentFile(content))
    return sha256


def blob_get(sha256: str) -> bytes:
    """The stored bytes, verified against their hash; raises StoredTemplateCorrupt otherwise."""
    try:
        with _storage().open(blob_path(sha256), "rb") as fh:
            content: bytes = fh.read()
    except OSError as exc:
        raise StoredTemplateCorrupt(_("The stored file %(sha)s is missing.") % {"sha": sha256[:16]}) from exc
    if hashlib.sha256(content).hexdigest() != sha256:
        raise StoredTemplateCorrupt(
            _("The stored file %(sha)s is corrupt: its content does not match its hash.")
            % {"sha": sha256[:16]}
        )
    return content


def template_version_docx(template_version: TemplateVersion) -> bytes:
    """The DOCX of a version, verified against its SHA-256."""
    return blob_get(template_version.sha256)


def template_version_check(
    docx: bytes,
    *,
    allowed: AllowedNames | None,
    signature_fields: Sequence[str] | None,
    max_bytes: int,
    required: Mapping[str, str] | None = None,
) -> None:
    """Raise TemplateInvalid with every problem of ``docx`` (nothing is stored here)."""
    limits = TemplateLimits(max_file_bytes=max_bytes)
    problems = validate_template(
        docx, allowed, limits=limits, signature_fields=signature_fields, required=required
    )
    if problems:
        raise TemplateInvalid(problems)


def template_version_store(
    *,
    kind: str,
    language: str,
    docx: bytes,
    author: Any,
    comment: str = "",
    preview_pdf: bytes | None = None,
    warnings: list[dict[str, Any]] | None = None,
) -> TemplateVersion:
    """Store an already validated DOCX as the next (inactive) version of the kind's template."""
    sha256 = blob_put(docx)
    preview_sha = blob_put(preview_pdf) if preview_pdf is not None else ""
    with transaction.atomic():
        template, _created = Template.objects.get_or_create(kind=kind, language=language)
        template = Template.objects.select_for_update().get(pk=template.pk)
        last = template.versions.aggregate(last=Max("number"))["last"] or 0
        return TemplateVersion.objects.create(
            template=template,
            number=last + 1,
            sha256=sha256,
            size=len(docx),
            author=author,
            comment=comment,
            preview_sha256=preview_sha,
            warnings=warnings or [],
        )


def template_version_activate(*, template_version: TemplateVersion) -> TemplateVersion | None:
    """Make this version the active one of its template; returns the version it replaced."""
    with transaction.atomic():
        Template.objects.select_for_update().get(pk=template_version.template_id)
        previous = (
            TemplateVersion.objects.filter(template_id=template_version.template_id, active=True)
            .exclude(pk=template_version.pk)
            .first()
        )
        now = timezone.now()
        if previous is not None:
            previous.active = False
            previous.active_until = now
            previous.save(update_fields=["active", "active_until"])
        template_version.active = True
        template_version.active_from = now
        template_version.active_until = None
        template_version.save(update_fields=["active", "active_from", "active_until"])
    return previous


def template_deactivate(*, kind: str, language: str) -> TemplateVersion | None:
    """Deactivate the active version of a kind's template (renderings fall back to the built-in
    default); returns the version deactivated, None when the default was already in use."""
    with transaction.atomic():
        template = Template.objects.select_for_update().filter(kind=kind, language=language).first()
        if template is None:
            return None
        previous = TemplateVersion.objects.filter(template=template, active=True).first()
        if previous is not None:
            previous.active = False
            previous.active_until = timezone.now()
            previous.save(update_fields=["active", "active_until"])
    return previous


def active_template_version(kind: str, language: str) -> TemplateVersion | None:
    """The active version of a kind's template in a language, if one was activated."""
    return (
        TemplateVersion.objects.filter(template__kind=kind, template__language=language, active=True)
        .select_related("template")
        .first()
    )


def template_version_by_identifier(identifier: str) -> TemplateVersion | None:
    """The version named by ``tv:<id>:<sha16>`` (None if unknown or if the hash does not match)."""
    match = IDENTIFIER.match(identifier or "")
    if match is None:
        return None
    version = TemplateVersion.objects.filter(pk=int(match["id"])).select_related("template").first()
    if version is None or not version.sha256.startswith(match["sha"]):
        return None
    return version


def template_versions(kind: str, language: str) -> QuerySet[TemplateVersion]:
    """Every version of a kind's template in a language, newest first, with their authors."""
    return (
        TemplateVersion.objects.filter(template__kind=kind, template__language=language)
        .select_related("template", "author")
        .order_by("-number")
    )


def template_asset_store(
    *, name: str, content: bytes, media_type: str, width_px: int, height_px: int, author: Any
) -> TemplateAsset:
    """Store an already checked picture as the next version of asset `name` and make it the active one."""
    sha256 = blob_put(content)
    with transaction.atomic():
        existing = TemplateAsset.objects.select_for_update().filter(name=name)
        last = max((asset.number for asset in existing), default=0)
        for previous in existing.filter(active=True):
            previous.active = False
            previous.save(update_fields=["active"])
        return TemplateAsset.objects.create(
            name=name,
            number=last + 1,
            sha256=sha256,
            size=len(content),
            media_type=media_type,
            width_px=width_px,
            height_px=height_px,
            author=author,
            active=True,
        )


def active_template_asset(name: str) -> TemplateAsset | None:
    """The active version of asset `name`, if one was uploaded."""
    return TemplateAsset.objects.filter(name=name, active=True).first()


ASSET_IDENTIFIER = re.compile(r"^asset:(?P<id>\d{1,18}):(?P<sha>[0-9a-f]{16})$")


def template_asset_by_identifier(identifier: str) -> TemplateAsset | None:
    """The asset version named by ``asset:<id>:<sha16>`` (None if unknown or if the hash does not match)."""
    match = ASSET_IDENTIFIER.match(identifier or "")
    if match is None:
        return None
    asset = TemplateAsset.objects.filter(pk=int(match["id"])).first()
    if asset is None or not asset.sha256.startswith(match["sha"]):
        return None
    return asset


def template_asset_content(asset: TemplateAsset) -> bytes:
    """The bytes of an asset version, verified against its SHA-256."""
    return blob_get(asset.sha256)
