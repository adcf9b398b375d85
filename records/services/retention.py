"""Retention classes: how long a registered document is kept before it may be disposed of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from records.models import Document

# Years to keep, counted from registration; None means permanent (nomenclature of files).
RETENTION_CLASSES: dict[str, tuple[int | None, object]] = {
    "permanent": (None, _("Permanent")),
    "75y": (75, _("75 years")),
    "10y": (10, _("10 years")),
    "5y": (5, _("5 years")),
    "1y": (1, _("1 year")),
}


def retention_expired(document: Document) -> bool:
    """True when the document's retention period has run out."""
    years, _label = RETENTION_CLASSES.get(document.retention_class, (None, ""))
    if years is None or document.registered_at is None:
        return False
    return document.registered_at.replace(year=document.registered_at.year + years) <= timezone.now()
