"""A stand-in registry for the sync tests: the projector and source that settings point at."""

from __future__ import annotations

from collections.abc import Iterator

from search.backends.base import SearchDocument

DOCUMENTS: dict[str, SearchDocument] = {}


def project(document_id: str) -> SearchDocument | None:
    """The current search document of an id, None when it no longer exists."""
    return DOCUMENTS.get(document_id)


def all_documents() -> Iterator[SearchDocument]:
    """Every document of the stand-in registry."""
    yield from DOCUMENTS.values()
