"""Values read out of registered documents' frozen data, cached by the data's SHA-256.

A page that needs a few keys of thousands of registered documents (the rating statements of a
term, the departments and years of the load documents) would otherwise have the database parse
every document's JSON on each request (SQLite's JSON functions parse the whole text). A version's
data never changes once frozen and is stored with its SHA-256, so what is extracted from it is kept
in this process under (extractor name, SHA-256): a later request reads only the hashes. The key is
the content itself, so the cache cannot go stale; it is dropped whole past ``LIMIT`` entries. The
first request of a process pays the parsing once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from records.models import Document

LIMIT = 200_000
CHUNK = 2000
_CACHE: dict[tuple[str, str], Any] = {}


def frozen_values(
    documents: QuerySet[Document],
    name: str,
    extract: Callable[[dict[str, Any]], Any],
    fields: tuple[str, ...] = ("pk", "registry_number"),
) -> list[tuple[tuple[Any, ...], Any]]:
    """Each document of `documents` (in its order) as its `fields` with ``extract(data)`` of its
    current version, `name` naming the extractor (one name, one function). Plain values, no model
    instances: a term has thousands of statements."""
    found = list(documents.values_list(*fields, "current_version__data_sha256"))
    missing = sorted({row[0] for row in found if (name, row[-1]) not in _CACHE}) if fields[0] == "pk" else []
    if len(_CACHE) + len(missing) > LIMIT:
        _CACHE.clear()
    for start in range(0, len(missing), CHUNK):
        rows = Document.objects.filter(pk__in=missing[start : start + CHUNK]).values_list(
            "current_version__data_sha256", "current_version__data"
        )
        for sha, data in rows:
            _CACHE[(name, sha)] = extract(data if isinstance(data, dict) else {})
    return [(row[:-1], _CACHE[(name, row[-1])]) for row in found]
