"""Registered documents in bulk, for demo histories: the lifecycle engine's bulk registration
(records.services.document.document_create_registered), under the name the demo and tests use."""

from __future__ import annotations

from records.services.document import document_create_registered as document_register_directly

__all__ = ["document_register_directly"]
