"""Search capability: full-text and faceted search over search documents (never imports records).

Public API:
- ``search.backends.get_backend()`` -> SearchBackend (tantivy or Elasticsearch, by settings);
- ``search.backends.base``: SearchDocument, SearchQuery, PermissionScope, SearchResults, Hit,
  FacetCount, SearchBackend, DocumentError, BackendError;
- ``search.query``: parse_query, QueryError, SearchError;
- ``search.sync``: enqueue, drain, index_lag, rebuild, reconcile;
- ``search.tasks.drain_search_outbox`` (django-tasks).
"""
