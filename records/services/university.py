"""The university's own settings that documents show: its emblem (a versioned template asset)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from doctemplates.images import ImageRefused, checked_image
from doctemplates.models import TemplateAsset
from doctemplates.rendering import ContextImage
from doctemplates.store import (
    active_template_asset,
    template_asset_by_identifier,
    template_asset_content,
    template_asset_store,
)
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
    return emblem_for_rendering(False)[0]


def emblem_for_rendering(
    recorded: dict[str, Any] | bool | None,
) -> tuple[ContextImage, dict[str, Any] | None]:
    """The emblem a rendering shows and what its provenance records of it.

    `recorded` is what an earlier rendering of the same version recorded: False when it was never
    rendered (the active emblem is used), None when it was rendered without one, else the asset's
    ``{"identifier", "version", "sha256"}``, which is used again, so a re-render after a new emblem
    upload shows the picture the original showed. RecordsError when that version is no longer stored.
    """
    if recorded is False:
        asset = active_template_asset(EMBLEM)
    elif recorded is None:
        asset = None
    else:
        identifier = str(recorded.get("identifier", "")) if isinstance(recorded, dict) else ""
        asset = template_asset_by_identifier(identifier)
        if asset is None:
            raise RecordsError(
                "asset_missing", _("The emblem %(asset)s is no longer stored."), asset=identifier
            )
    if asset is None:
        return ContextImage(b"", EMBLEM_WIDTH_MM), None
    record = {"identifier": asset.identifier, "version": asset.number, "sha256": asset.sha256}
    return ContextImage(template_asset_content(asset), EMBLEM_WIDTH_MM), record
