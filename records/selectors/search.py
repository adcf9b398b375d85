"""Full-text search of the registry: the one selector the back office and the API search through.

Every search runs with the caller's permission scope (``records.search_projection.scope_for``)
inside the engine query, so totals and facet counts only count what the caller may see. Hits are
then joined to ``documents_visible_to`` (one query per page), which also drops a hit the index
still holds but the registry no longer shows the caller (a stale entry waiting in the outbox).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Count, Max
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.errors import RecordsError
from records.kinds.base import get_kind
from records.lifecycle import State
from records.models import Document, OrgUnit
from records.search_projection import scope_for
from records.selectors.document import documents_visible_to
from records.services.retention import RETENTION_CLASSES
from search.backends import get_backend
from search.backends.base import FacetCount, SearchQuery
from search.models import OutboxEntry
from search.query import MAX_PAGE_SIZE, QueryError, SearchError
from search.sync import index_lag

logger = logging.getLogger(__name__)

# The facets shown and the filters a user may narrow by (the backend's field names).
SEARCH_FACETS: tuple[str, ...] = ("kind", "org_unit", "year", "state", "signers", "retention_class")
FACET_LABELS: dict[str, Any] = {
    "kind": gettext_lazy("Kind"),
    "org_unit": gettext_lazy("Org unit"),
    "year": gettext_lazy("Year"),
    "state": gettext_lazy("State"),
    "signers": gettext_lazy("Signer"),
    "retention_class": gettext_lazy("Retention class"),
}
SORT_LABELS: dict[str, Any] = {
    "relevance": gettext_lazy("Relevance"),
    "-date": gettext_lazy("Newest first"),
    "date": gettext_lazy("Oldest first"),
    "number": gettext_lazy("Registry number"),
}
DEFAULT_PAGE_SIZE = 20
MAX_FILTER_VALUES = 20
MAX_FILTER_CHARS = 200
MAX_CURSOR_CHARS = 500
EXPORT_CAP = 10_000


class SearchUnavailable(RecordsError):
    """The search engine failed or cannot be reached; the message is safe to show."""


class QueryParams(Protocol):
    """What a request's query string offers (a Django QueryDict)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@dataclass(frozen=True)
class SearchParams:
    """A search request after parsing: text, filters by facet field, sort, page size and cursor."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    size: int = DEFAULT_PAGE_SIZE
    cursor: str | None = None

    def audit_changes(self, **extra: Any) -> dict[str, Any]:
        """What a search's audit event records: the text (cut to 200 characters), filters and sort."""
        return {"text": self.text[:200], "filters": self.filters, "sort": self.sort, **extra}

    @classmethod
    def parse(
        cls,
        *,
        text: str | None = "",
        filters: Mapping[str, Sequence[str]] | None = None,
        sort: str | None = "",
        size: str | int | None = None,
        cursor: str | None = None,
    ) -> SearchParams:
        """Check raw request values; RecordsError("invalid_query") names what is wrong."""
        clean: dict[str, list[str]] = {}
        for name, values in (filters or {}).items():
            kept = [str(v).strip() for v in values if str(v).strip()]
            if not kept:
                continue
            if name not in SEARCH_FACETS:
                raise RecordsError("invalid_query", _("Cannot filter on %(field)s."), field=name[:50])
            if len(kept) > MAX_FILTER_VALUES or any(len(v) > MAX_FILTER_CHARS for v in kept):
                raise RecordsError(
                    "invalid_query", _("Too many or too long values for filter %(field)s."), field=name
                )
            if name == "year" and not all(v.isdigit() and len(v) <= 4 for v in kept):
                raise RecordsError("invalid_query", _("Filter year needs whole years."))
            clean[name] = list(dict.fromkeys(kept))
        return cls(
            text=text or "",
            filters=clean,
            sort=sort or "relevance",
            size=_page_size(size),
            cursor=_cursor(cursor),
        )

    @classmethod
    def from_query(cls, query: QueryParams) -> SearchParams:
        """Parse a query string (?q=&kind=&org_unit=&year=&state=&signers=&retention_class=&sort=&size=&cursor=)."""
        return cls.parse(
            text=query.get("q", ""),
            filters={name: query.getlist(name) for name in SEARCH_FACETS},
            sort=query.get("sort", ""),
            size=query.get("size"),
            cursor=query.get("cursor"),
        )


def _page_size(size: str | int | None) -> int:
    if size is None or size == "":
        return DEFAULT_PAGE_SIZE
    try:
        number = int(size)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_PAGE_SIZE:
        raise RecordsError(
            "invalid_query", _("The page size must be between 1 and %(max)s."), max=MAX_PAGE_SIZE
        )
    return number


def _cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    if len(cursor) > MAX_CURSOR_CHARS:
        raise RecordsError("invalid_query", _("The page cursor is invalid; start the search again."))
    return cursor


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its label, its count, and whether the search is narrowed by it."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    """The counts of one facet field."""

    field: str
    label: str
    values: list[FacetValue]


@dataclass(frozen=True)
class SearchHitRow:
    """One result: the document (as the registry shows it now) and the index's HTML-escaped highlights."""

    document: Document
    title_html: str
    snippets: list[str]
    score: float | None
    kind_name: str
    state_label: str


@dataclass(frozen=True)
class DocumentSearchResults:
    """A page of results, the facet counts, the next page's cursor and the index's lag."""

    hits: list[SearchHitRow]
    total: int
    facets: list[FacetGroup]
    next_cursor: str | None
    index_pending: int
    truncated: bool

    @property
    def index_behind(self) -> bool:
        """True when changes are still waiting to reach the index."""
        return self.index_pending > 0


def kind_label(code: str) -> str:
    """A kind's name in the active language, or its code when unknown."""
    try:
        return get_kind(code).name
    except RecordsError:
        return code


def state_label(state: str) -> str:
    """The translated label of a lifecycle state."""
    try:
        return str(State(state).label)
    except ValueError:
        return state


def _facet_labels(name: str, values: list[str]) -> dict[str, str]:
    if name == "kind":
        return {v: kind_label(v) for v in values}
    if name == "state":
        return {v: state_label(v) for v in values}
    if name == "retention_class":
        return {v: str(RETENTION_CLASSES[v][1]) if v in RETENTION_CLASSES else v for v in values}
    if name == "org_unit":
        ids = [int(v) for v in values if v.isdigit() and len(v) < 19]
        units = {str(u.pk): u.name for u in OrgUnit.objects.filter(pk__in=ids)}
        return {v: units.get(v, v) for v in values}
    return {v: v for v in values}


def _facet_groups(raw: Mapping[str, list[FacetCount]], filters: Mapping[str, list[str]]) -> list[FacetGroup]:
    groups = []
    for name in SEARCH_FACETS:
        buckets = raw.get(name, [])
        values = [str(b.value) for b in buckets]
        labels = _facet_labels(name, values)
        selected = set(filters.get(name, []))
        groups.append(
            FacetGroup(
                field=name,
                label=str(FACET_LABELS[name]),
                values=[
                    FacetValue(str(b.value), labels[str(b.value)], b.count, str(b.value) in selected)
                    for b in buckets
                ],
            )
        )
    return groups


def _title_html(document: Document, indexed_html: str) -> str:
    """The hit's title: the index's highlighted one when it is the reader's language, else the
    document's title in the reader's language (escaped; the index holds the stored title only)."""
    shown = document.display_title
    return indexed_html if shown == document.title else str(escape(shown))


def search_documents(
    *,
    user: Any,
    text: str = "",
    filters: Mapping[str, Sequence[str]] | None = None,
    facets: Sequence[str] = SEARCH_FACETS,
    sort: str = "relevance",
    size: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> DocumentSearchResults:
    """One page of the documents `user` may find; RecordsError for bad input, SearchUnavailable for the engine."""
    narrowed: dict[str, list[str]] = {name: list(values) for name, values in (filters or {}).items()}
    query = SearchQuery(
        text=text,
        filters=narrowed,
        facets=list(facets),
        sort=sort,
        size=size,
        search_after=cursor,
        scope=scope_for(user),  # always: the scope is part of the engine query
    )
    try:
        results = get_backend().search(query)
    except QueryError as exc:
        raise RecordsError("invalid_query", str(exc)) from exc
    except SearchError as exc:
        raise SearchUnavailable("search_unavailable", str(exc)) from exc
    except Exception as exc:  # the backend contract forbids this; never show an engine error raw
        logger.exception("search backend failed")
        raise SearchUnavailable(
            "search_unavailable", _("The search is unavailable right now; try again later.")
        ) from exc
    ids = [int(hit.id) for hit in results.hits if hit.id.isdigit()]
    documents = {d.pk: d for d in documents_visible_to(user=user).filter(pk__in=ids)}
    rows = [
        SearchHitRow(
            document=documents[int(hit.id)],
            title_html=_title_html(documents[int(hit.id)], hit.title_html),
            snippets=list(hit.snippets),
            score=hit.score,
            kind_name=kind_label(documents[int(hit.id)].kind),
            state_label=state_label(documents[int(hit.id)].state),
        )
        for hit in results.hits
        if hit.id.isdigit() and int(hit.id) in documents
    ]
    return DocumentSearchResults(
        hits=rows,
        total=results.total,
        facets=_facet_groups(results.facets, narrowed),
        next_cursor=results.next_cursor,
        index_pending=index_lag().pending,
        truncated=results.query.truncated or results.query.dropped > 0,
    )


@dataclass(frozen=True)
class SearchExport:
    """Every document of a search (up to the cap), in result order, and whether the cap cut it."""

    documents: list[Document]
    total: int
    capped: bool


def search_documents_for_export(
    *,
    user: Any,
    text: str = "",
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "relevance",
    cap: int = EXPORT_CAP,
) -> SearchExport:
    """All pages of a search through ``search_documents`` (same scope), at most `cap` documents."""
    documents: list[Document] = []
    cursor: str | None = None
    total = 0
    while len(documents) < cap:
        page = search_documents(
            user=user,
            text=text,
            filters=filters,
            facets=(),
            sort=sort,
            size=min(MAX_PAGE_SIZE, cap - len(documents)),
            cursor=cursor,
        )
        total = page.total
        documents.extend(hit.document for hit in page.hits)
        cursor = page.next_cursor
        if cursor is None:
            return SearchExport(documents, total, capped=False)
    return SearchExport(documents[:cap], total, capped=True)


def search_index_state() -> str:
    """Where the index stands against the registry (one query): the outbox's pending entries and its
    newest entry. A change enqueues an entry in its own transaction and a drain removes entries once
    the index holds them, so this moves with every change the index has or has not yet taken: a
    cached result page keyed by it (and the chain head) is never older than a search run now."""
    state = OutboxEntry.objects.aggregate(pending=Count("id"), newest=Max("id"))
    return f"{state['pending']}:{state['newest'] or 0}"
