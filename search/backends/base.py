"""The search capability's interface: documents, queries, results and the backend contract."""

from __future__ import annotations

import abc
import base64
import binascii
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from django.utils.translation import gettext as _

from search.query import MAX_PAGE_SIZE, ParsedQuery, QueryError, SearchError, parse_query

Sort = Literal["relevance", "date", "-date", "number"]
SORTS: tuple[str, ...] = ("relevance", "date", "-date", "number")
# Keyword fields a query may filter on, and the subset offered as facets.
FILTER_FIELDS: tuple[str, ...] = (
    "kind",
    "org_unit",
    "year",
    "state",
    "signers",
    "retention_class",
    "language",
    "subject_ids",
    "number",
)
FACET_FIELDS: tuple[str, ...] = (
    "kind",
    "org_unit",
    "year",
    "state",
    "signers",
    "retention_class",
    "language",
)
FACET_SIZE = 50
MAX_ID_LENGTH = 200


class DocumentError(SearchError):
    """A search document is malformed (missing id, naive datetime...)."""


class BackendError(SearchError):
    """The search engine failed or is unreachable; the message is safe to show to a user."""


@dataclass
class SearchDocument:
    """What the index knows about one registry document (the projection of its current version)."""

    id: str
    number: str = ""
    kind: str = ""
    title: str = ""
    body: str = ""
    org_unit_path: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)
    subject_ids: list[str] = field(default_factory=list)
    registered_at: datetime | None = None
    created_at: datetime | None = None
    state: str = ""
    retention_class: str = ""
    language: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Words that describe the document besides its title, searched like the number and the people:
    # e.g. its kind's name in every language, so "бұйрық" finds an order rendered in Russian.
    labels: list[str] = field(default_factory=list)

    def validate(self) -> None:
        """Raise DocumentError when the document cannot be indexed."""
        if not isinstance(self.id, str) or not self.id.strip() or len(self.id) > MAX_ID_LENGTH:
            raise DocumentError(
                _("A search document needs an id of 1 to %(max)s characters.") % {"max": MAX_ID_LENGTH}
            )
        for name in ("registered_at", "created_at"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise DocumentError(
                    _("Field %(field)s of search document %(id)s must be an aware datetime.")
                    % {"field": name, "id": self.id}
                )
        try:
            json.dumps(self.extra)
        except TypeError as exc:
            raise DocumentError(
                _("The extra fields of search document %(id)s are not JSON-serialisable.") % {"id": self.id}
            ) from exc

    @property
    def date(self) -> datetime | None:
        """The date the document is sorted by: registration, else creation."""
        return self.registered_at or self.created_at

    @property
    def year(self) -> int | None:
        """The year facet value."""
        return self.date.year if self.date else None

    @property
    def meta_text(self) -> str:
        """Number, people, signers and labels: the text of the meta field."""
        return " ".join([self.number, *self.people, *self.signers, *self.labels])

    @property
    def names_text(self) -> str:
        """The people and signers, one name after another: the text of the names field."""
        return "\n".join(dict.fromkeys([*self.people, *self.signers]))

    @property
    def org_path_prefixes(self) -> list[str]:
        """Every prefix of the org unit path joined by "/", the terms a PermissionScope matches."""
        return ["/".join(self.org_unit_path[: i + 1]) for i in range(len(self.org_unit_path))]

    def stored_fields(self) -> dict[str, Any]:
        """The fields returned with a hit (everything but the body)."""
        return {
            "number": self.number,
            "kind": self.kind,
            "title": self.title,
            "org_unit_path": list(self.org_unit_path),
            "people": list(self.people),
            "signers": list(self.signers),
            "subject_ids": list(self.subject_ids),
            "registered_at": self.registered_at.isoformat() if self.registered_at else None,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "year": self.year,
            "state": self.state,
            "retention_class": self.retention_class,
            "language": self.language,
            "extra": dict(self.extra),
        }

    def to_json(self) -> dict[str, Any]:
        """Stored fields plus id and body, the payload a backend keeps to rebuild a hit."""
        return {"id": self.id, "body": self.body, **self.stored_fields()}


def sort_timestamp(value: datetime | None) -> int:
    """Microseconds since the epoch (0 for no date), the integer a date sort uses."""
    if value is None:
        return 0
    delta = value.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@dataclass(frozen=True)
class PermissionScope:
    """Which documents a caller may find: everything, or org unit path prefixes OR subject ids.

    Applied inside the query by every backend, so totals and facet counts never include a document
    outside the scope. A restricted scope with nothing allowed finds nothing.
    """

    all: bool = False
    org_unit_prefixes: tuple[tuple[str, ...], ...] = ()
    subject_ids: tuple[str, ...] = ()

    @classmethod
    def everything(cls) -> PermissionScope:
        """The scope of an archivist: every document."""
        return cls(all=True)

    @classmethod
    def restricted(
        cls, *, org_unit_prefixes: Iterable[Sequence[str]] = (), subject_ids: Iterable[str] = ()
    ) -> PermissionScope:
        """Documents under one of the org unit path prefixes, or about one of the subjects."""
        prefixes = tuple(tuple(prefix) for prefix in org_unit_prefixes if prefix)
        return cls(all=False, org_unit_prefixes=prefixes, subject_ids=tuple(subject_ids))

    @property
    def org_path_terms(self) -> list[str]:
        """The prefixes joined by "/", matched against ``SearchDocument.org_path_prefixes``."""
        return ["/".join(prefix) for prefix in self.org_unit_prefixes]

    @property
    def is_empty(self) -> bool:
        """True when the scope allows nothing at all."""
        return not self.all and not self.org_unit_prefixes and not self.subject_ids


@dataclass(frozen=True)
class SearchQuery:
    """A search request: free text, filters, facets, sort, page size, cursor and permission scope."""

    text: str = ""
    filters: Mapping[str, Sequence[str | int]] = field(default_factory=dict)
    facets: Sequence[str] = ()
    sort: str = "relevance"
    size: int = 20
    search_after: str | None = None
    scope: PermissionScope = field(default_factory=PermissionScope)

    def validate(self) -> ParsedQuery:
        """Check the request and parse its text; raise QueryError naming the problem."""
        if self.sort not in SORTS:
            raise QueryError(
                _("Unknown sort %(sort)s; use one of %(choices)s.")
                % {"sort": self.sort, "choices": ", ".join(SORTS)}
            )
        if not isinstance(self.size, int) or not 1 <= self.size <= MAX_PAGE_SIZE:
            raise QueryError(_("The page size must be between 1 and %(max)s.") % {"max": MAX_PAGE_SIZE})
        for name, values in self.filters.items():
            if name not in FILTER_FIELDS:
                raise QueryError(_("Cannot filter on %(field)s.") % {"field": name})
            if isinstance(values, str | int) or not all(isinstance(v, str | int) for v in values):
                raise QueryError(_("Filter %(field)s needs a list of values.") % {"field": name})
            if name == "year" and not all(_is_year(v) for v in values):
                raise QueryError(_("Filter year needs whole years."))
        for name in self.facets:
            if name not in FACET_FIELDS:
                raise QueryError(_("Cannot count facet %(field)s.") % {"field": name})
        if not isinstance(self.scope, PermissionScope):
            raise QueryError(_("A search needs a permission scope."))
        return parse_query(self.text)


def _is_year(value: str | int) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit())


@dataclass(frozen=True)
class FacetCount:
    """One facet value and how many matching documents carry it."""

    value: str | int
    count: int


@dataclass(frozen=True)
class Hit:
    """One result: document id, score (None when sorted by a field), stored fields, HTML snippets."""

    id: str
    score: float | None
    fields: dict[str, Any]
    title_html: str
    snippets: list[str]


@dataclass(frozen=True)
class SearchResults:
    """A page of results with the total, facet counts and the cursor of the next page (or None)."""

    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetCount]]
    next_cursor: str | None
    query: ParsedQuery


def encode_cursor(payload: Any) -> str:
    """Opaque URL-safe cursor for a JSON payload."""
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    """Inverse of encode_cursor; QueryError for a cursor that was not produced by us."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise QueryError(_("The page cursor is invalid; start the search again.")) from exc


class SearchBackend(abc.ABC):
    """Contract of a search backend.

    Implementations MUST:
    - index the terms of ``search.analysis`` (never an engine analyser), so every backend finds the
      same documents for the same query;
    - make documents passed to ``index`` (and removals by ``delete``) visible to ``search`` when the
      call returns; indexing an id that exists replaces the document;
    - apply ``SearchQuery.scope`` and the filters inside the engine query, so ``total`` and facet
      counts only count documents the caller may see;
    - AND the clauses of the text (terms match title, number, people or body, and their name keys
      match the name keys of people and signers; phrases match consecutive terms; ``prefix*``
      finds what a term search of each indexed word starting with it finds, through the
      vocabulary of ``search.vocabulary``, and the names whose key starts with its Latin
      skeleton); empty text matches every document;
    - return ``next_cursor`` such that following it until None visits every hit exactly once while
      the index does not change, and None on the last page;
    - return snippets as HTML-escaped text with matches in ``<mark>`` (``search.snippets``);
    - raise QueryError for bad requests and BackendError (with a message safe to show) for engine
      failures; never let an engine exception escape;
    - ``rebuild`` builds a fresh index from the iterable and swaps it in only when complete, so
      searches keep working on the old index meanwhile.

    Implementations MAY order equal-score hits differently, compute scores differently, and
    return a cursor that is only valid for the backend that produced it.
    """

    @abc.abstractmethod
    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents; return how many were indexed."""

    @abc.abstractmethod
    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Run a query."""

    @abc.abstractmethod
    def rebuild(self, docs: Iterable[SearchDocument]) -> int:
        """Build a fresh index from ``docs`` and swap it in; return the number of documents."""

    @abc.abstractmethod
    def count(self) -> int:
        """Number of documents in the index."""

    @abc.abstractmethod
    def ids(self) -> Iterator[str]:
        """Every document id in the index (for reconciliation)."""

    @abc.abstractmethod
    def healthy(self) -> bool:
        """True when the index can be searched."""

    def is_current(self) -> bool:
        """False when the index was built by another ``ANALYSIS_VERSION`` and must be rebuilt.

        A backend that cannot tell returns True (the default).
        """
        return True
