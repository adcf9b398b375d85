"""Retention classes: how long a registered document is kept before it may be disposed of.

A pure table (no models, no services): each kind declares its class (``DocumentKind.retention_class``),
the document keeps it, and the lifecycle's `dispose` condition reads it from here.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

# Years to keep, counted from registration; None means permanent (nomenclature of files).
RETENTION_CLASSES: dict[str, tuple[int | None, object]] = {
    "permanent": (None, _("Permanent")),
    "75y": (75, _("75 years")),
    "10y": (10, _("10 years")),
    "5y": (5, _("5 years")),
    "1y": (1, _("1 year")),
}


def retention_runs_out(retention_class: str, registered_at: dt.datetime | None, now: dt.datetime) -> bool:
    """True when a document of `retention_class` registered at `registered_at` may be disposed of at `now`."""
    years, _label = RETENTION_CLASSES.get(retention_class, (None, ""))
    if years is None or registered_at is None:
        return False
    return registered_at.replace(year=registered_at.year + years) <= now
