"""Search backends, chosen by ``settings.RECTORATE_SEARCH_BACKEND`` ("tantivy" or "elasticsearch")."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from search.backends.base import SearchBackend

_lock = threading.Lock()
_cache: dict[tuple[str, ...], SearchBackend] = {}


def get_backend() -> SearchBackend:
    """The configured backend, one instance per process and configuration."""
    name = str(getattr(settings, "RECTORATE_SEARCH_BACKEND", "tantivy"))
    key: tuple[str, ...]
    if name == "tantivy":
        key = (name, str(settings.RECTORATE_SEARCH_INDEX_DIR))
    elif name == "elasticsearch":
        alias = str(getattr(settings, "RECTORATE_ELASTICSEARCH_ALIAS", "rectorate-documents"))
        key = (name, str(settings.RECTORATE_ELASTICSEARCH_URL), alias)
    else:
        raise ImproperlyConfigured(
            f"RECTORATE_SEARCH_BACKEND must be 'tantivy' or 'elasticsearch', not {name!r}"
        )
    with _lock:
        if key not in _cache:
            _cache[key] = _create(*key)
        return _cache[key]


def _create(name: str, location: str, alias: str = "") -> SearchBackend:
    if name == "tantivy":
        from search.backends.tantivy_backend import TantivyBackend

        return TantivyBackend(location)
    if not location:
        raise ImproperlyConfigured(
            "RECTORATE_ELASTICSEARCH_URL is required by the elasticsearch search backend"
        )
    from elasticsearch import Elasticsearch

    from search.backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend(Elasticsearch(location), alias=alias)
