"""GET /api/v1/search: the registry's full-text search, through the same selector and scope as the back office."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from records.api.schemas import ErrorOut
from records.selectors.search import (
    SEARCH_FACETS,
    DocumentSearchResults,
    SearchParams,
    SearchUnavailable,
    search_documents,
)
from records.services.audit import access_record

router = Router(tags=["search"])


class SearchParamsIn(Schema):
    """Query string of a search; values are checked by the selector so bad input is a 400 with a message."""

    q: str = Field("", description='Words, "a phrase", prefix*, a registry number or a name')
    kind: list[str] = Field([], description="Kind code (repeat to allow several)")
    state: list[str] = Field([], description="Lifecycle state (repeatable)")
    org_unit: list[str] = Field([], description="Org unit id, its subtree included (repeatable)")
    year: list[str] = Field([], description="Year of registration, else of creation (repeatable)")
    signers: list[str] = Field([], description="Name of a signer (repeatable)")
    retention_class: list[str] = Field([], description="Retention class (repeatable)")
    sort: str = Field("relevance", description="relevance, date, -date or number")
    size: str = Field("", description="Page size, 1 to 100 (default 20)")
    cursor: str = Field("", description="`next_cursor` of the previous page")


class SearchHitOut(Schema):
    """One result; `title_html` and `snippets` are HTML-escaped text with matches in <mark>."""

    id: int
    number: str
    title: str
    title_html: str
    kind: str
    state: str
    score: float | None
    snippets: list[str]


class FacetValueOut(Schema):
    """A facet value, its label in the active language and the number of matching documents."""

    value: str
    label: str
    count: int


class SearchOut(Schema):
    """A page of results. Follow `next_cursor` (null on the last page) for the next one."""

    total: int
    hits: list[SearchHitOut]
    facets: dict[str, list[FacetValueOut]]
    next_cursor: str | None
    index_behind: bool
    index_pending: int
    truncated: bool


def search_out(results: DocumentSearchResults) -> SearchOut:
    """Fill the response from the selector's results."""
    return SearchOut(
        total=results.total,
        hits=[
            SearchHitOut(
                id=hit.document.pk,
                number=hit.document.registry_number,
                title=hit.document.title,
                title_html=hit.title_html,
                kind=hit.document.kind,
                state=hit.document.state,
                score=hit.score,
                snippets=hit.snippets,
            )
            for hit in results.hits
        ],
        facets={
            group.field: [FacetValueOut(value=v.value, label=v.label, count=v.count) for v in group.values]
            for group in results.facets
        },
        next_cursor=results.next_cursor,
        index_behind=results.index_behind,
        index_pending=results.index_pending,
        truncated=results.truncated,
    )


@router.get(
    "",
    response={200: SearchOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 503: ErrorOut},
    summary="Search the registry",
)
def search(request: HttpRequest, params: Query[SearchParamsIn]) -> Any:
    """Documents the caller may find, ranked, with snippets and facet counts; one "search.query" event.

    Bad input (an unknown filter, a page size out of range, a cursor not from us) is a 400 with a
    message; an unavailable engine is a 503.
    """
    parsed = SearchParams.parse(
        text=params.q,
        filters={name: getattr(params, name) for name in SEARCH_FACETS},
        sort=params.sort,
        size=params.size,
        cursor=params.cursor,
    )
    user = request.auth  # type: ignore[attr-defined]
    try:
        results = search_documents(
            user=user,
            text=parsed.text,
            filters=parsed.filters,
            sort=parsed.sort,
            size=parsed.size,
            cursor=parsed.cursor,
        )
    except SearchUnavailable as exc:
        return Status(503, ErrorOut(code=exc.code, message=exc.message))
    access_record(
        actor=user,
        action="search.query",
        details=parsed.audit_changes(total=results.total, next_page=bool(parsed.cursor)),
    )
    return search_out(results)
