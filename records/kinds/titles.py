"""A document's title in a reader's language, made from its kind and data (not the stored title).

The stored title is written once, in the document's own language; a page in another language
(the portal in English for a Russian order) shows the title the kind makes for that language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from records.kinds.base import get_kind

if TYPE_CHECKING:
    from records.models import Document


def document_title(document: Document, language: str) -> str:
    """The title of `document` in `language` (kk, ru, en): the kind's title function over the current
    version's data; for a kind without one, its name and the subject's name in that language."""
    language = language[:2] if language[:2] in ("kk", "ru", "en") else "ru"
    kind = get_kind(document.kind)
    version = document.current_version
    data = version.data if version is not None and isinstance(version.data, dict) else None
    if data is None:
        return document.title
    if kind.title is not None:
        return kind.make_title(data, language)
    name = kind.names.get(language) or kind.names["ru"]
    if document.subject is not None:
        return f"{name}: {document.subject.full_name(language)}"
    return name
