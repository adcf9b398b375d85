"""The registry's integrity state for pages: the newest fixity pass and the newest sealed checkpoint."""

from __future__ import annotations

from typing import Any

from records.models import IntegrityState
from records.selectors.checkpoints import checkpoint_newest


def fixity_latest() -> IntegrityState | None:
    """The fixity state for pages (the newest complete pass and the one under way)."""
    return IntegrityState.objects.filter(pk=1).first()


def integrity_status() -> dict[str, Any]:
    """What the auditor's LTV page shows: the newest complete fixity pass, the one under way, the
    newest sealed checkpoint of the audit chain."""
    return {"fixity": fixity_latest(), "checkpoint": checkpoint_newest()}
