"""A document's title in a reader's language, made from its kind and data (not the stored title).

The stored title is written once, in the document's own language. The engine also keeps the titles
its kind makes in kk, ru and en (``Document.titles``), so a page in another language shows the
reader's one from the row it already loaded (``Document.display_title``), with no query per row. A
title a person typed is theirs: it has no translations and shows as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from records.kinds.base import get_kind

if TYPE_CHECKING:
    from records.models import Document

LANGUAGES = ("kk", "ru", "en")


def kind_titles(kind_code: str, data: dict[str, Any]) -> dict[str, str]:
    """The titles the kind makes from `data` in kk, ru and en; empty for a kind without a title rule."""
    kind = get_kind(kind_code)
    if kind.title is None:
        return {}
    return {language: kind.make_title(data, language) for language in LANGUAGES}


def stored_titles(titles: dict[str, str], title: str) -> dict[str, str]:
    """What a document keeps as its translations: the kind's titles when its stored `title` is one of
    them (made by the kind), none when a person typed their own."""
    return titles if title in titles.values() else {}


def document_title(document: Document, language: str) -> str:
    """The title of `document` in `language` (kk, ru, en): the kept translation when there is one;
    else the kind's title function over the current version's data; for a kind without one, its
    name and the subject's name in that language."""
    language = language[:2] if language[:2] in LANGUAGES else "ru"
    if document.titles.get(language):
        return str(document.titles[language])
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
