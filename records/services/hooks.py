"""Reactions to committed document changes that must not know each other (index outbox, ...)."""

from __future__ import annotations

from typing import Any


def document_changed(document: Any) -> None:
    """Called after commit of any change to `document`."""
