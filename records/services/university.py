"""The university's own settings that documents show: its emblem (a versioned template asset)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from doctemplates.images import ImageRefused, checked_image
from doctemplates.models import TemplateAsset
from doctemplates.rendering import ContextImage
from doctemplates.store import active_template_asset, template_asset_content, template_asset_store
from records.errors import RecordsError
from records.permissions import may_manage_templates
from records.services.audit import audit_record

EMBLEM = "emblem"
EMBLEM_MAX_BYTES = 2 * 1024 * 1024
EMBLEM_MAX_PIXELS = 4000 * 4000
EMBLEM_WIDTH_MM = 22


def university_emblem_upload(*, by: Any, content: bytes) -> TemplateAsset:
    """Check an uploaded emblem (PNG or JPEG) and store it as the next, active version of the emblem."""
    if not may_manage_templates(by):
        raise RecordsError(
            "forbidden", _("Only methodologists, administrators and registrars may manage templates.")
        )
    try:
        image = checked_image(content, max_bytes=EMBLEM_MAX_BYTES, max_pixels=EMBLEM_MAX_PIXELS)
    except ImageRefused as exc:
        raise RecordsError("bad_image", "%(error)s", error=str(exc)) from exc
    with transaction.atomic():
        asset = template_asset_store(
            name=EMBLEM,
            content=image.png,
            media_type="image/png",
            width_px=image.width_px,
            height_px=image.height_px,
            author=by,
        )
        audit_record(
            actor=by,
            action="university.emblem_upload",
            object_type="template_asset",
            object_id=asset.pk,
            changes={"identifier": asset.identifier, "version": asset.number, "size": asset.size},
        )
    return asset


def university_emblem() -> ContextImage:
    """The active emblem as a template picture (empty, so ``{% if emblem %}`` is false, when none)."""
    asset = active_template_asset(EMBLEM)
    if asset is None:
        return ContextImage(b"", EMBLEM_WIDTH_MM)
    return ContextImage(template_asset_content(asset), EMBLEM_WIDTH_MM)
