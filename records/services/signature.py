"""Signing-route progress (the signing capability fills the steps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from records.kinds.base import RouteStep, get_kind

if TYPE_CHECKING:
    from records.models import Document


@dataclass
class RouteProgress:
    """Which steps of a document's route have signed its current version."""

    done: list[str]
    pending: list[RouteStep]

    @property
    def complete(self) -> bool:
        return not self.pending

    @property
    def next_step(self) -> RouteStep | None:
        return self.pending[0] if self.pending else None


def route_progress(document: Document) -> RouteProgress:
    """The route's steps, in order, split into signed and pending for the current version."""
    from records.models import Signature

    kind = get_kind(document.kind)
    signed = set(
        Signature.objects.filter(document=document, version=document.current_version, void=False).values_list(
            "step", flat=True
        )
    )
    done = [s.code for s in kind.signing_route if s.code in signed]
    pending = [s for s in kind.signing_route if s.code not in signed]
    return RouteProgress(done=done, pending=pending)
