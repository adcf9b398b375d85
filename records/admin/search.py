"""The back office's search page: ranked results with highlights, facets, sort, cursor pages, export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from records.admin.base import RegistryView
from records.admin.fragments import CSRF_SLOT, fragment_get, fragment_key, fragment_set, sorted_query
from records.admin.pagecache import cached_page
from records.admin.viewsets import AreaLink, AreaViewSet
from records.downloads import content_disposition
from records.errors import RecordsError
from records.permissions import is_staff_user
from records.selectors.search import (
    SEARCH_FACETS,
    SORT_LABELS,
    DocumentSearchResults,
    SearchParams,
    SearchUnavailable,
    search_documents,
    search_index_state,
)
from records.services import exports as export
from records.services.audit import access_record
from records.services.exports import search_results_export

MAX_VALUE_CHARS = 2000
SEARCH_PARAMS = ("q", "sort", "size", "cursor", *SEARCH_FACETS)


@dataclass(frozen=True)
class Link:
    """A label and the URL that applies it (facet values, active filters, sort options)."""

    label: str
    url: str
    count: int | None = None
    active: bool = False


def _url(params: QueryDict) -> str:
    return reverse("records_search:search") + ("?" + params.urlencode() if params else "")


def _without_cursor(query: QueryDict) -> QueryDict:
    params = query.copy()
    params.pop("cursor", None)
    return params


def toggle_url(query: QueryDict, name: str, value: str) -> str:
    """The current search narrowed by (or, when already selected, freed of) one facet value, from page 1."""
    params = _without_cursor(query)
    values = params.getlist(name)
    params.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return _url(params)


def facet_links(query: QueryDict, results: DocumentSearchResults) -> list[dict[str, Any]]:
    """Each facet with its values as toggling links."""
    return [
        {
            "label": group.label,
            "field": group.field,
            "values": [
                Link(v.label, toggle_url(query, group.field, v.value), v.count, v.selected)
                for v in group.values
            ],
        }
        for group in results.facets
        if group.values
    ]


def active_filters(
    query: QueryDict, params: SearchParams, results: DocumentSearchResults | None
) -> list[Link]:
    """The filters in force, each a link that removes it."""
    labels = {
        (group.field, v.value): v.label for group in (results.facets if results else []) for v in group.values
    }
    return [
        Link(labels.get((name, value), value), toggle_url(query, name, value))
        for name, values in params.filters.items()
        for value in values
    ]


def sort_links(query: QueryDict, current: str) -> list[Link]:
    """The sort choices, from page 1 of the same search."""
    links = []
    for name, label in SORT_LABELS.items():
        params = _without_cursor(query)
        params["sort"] = name
        links.append(Link(str(label), _url(params), active=name == current))
    return links


class SearchView(RegistryView):
    """Search the registry; every search is recorded as one "search.query" event."""

    template_name = "records/admin/search.html"
    page_title = gettext_lazy("Search")
    header_icon = "search"
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}]

    def get(self, request: HttpRequest) -> HttpResponse:
        # A search that ran is cached per viewer, query, chain head and index state
        # (records/admin/fragments.py); every search is still recorded, and the CSRF field stays live.
        query = request.GET
        key = ""
        if any(name in query for name in SEARCH_PARAMS):  # the first visit only shows the form
            index_state = search_index_state()
            key = fragment_key("search", request.user, [*sorted_query(request), index_state])
            cached = fragment_get(key)
            if cached is not None:
                access_record(actor=request.user, action="search.query", details=cached["audit"])
                # The whole page too, once the search is recorded (records/admin/pagecache.py).
                return cached_page(
                    request, "search", [index_state], lambda: self.respond(request, cached["html"], 200)
                )
        error = ""
        status = 200
        results: DocumentSearchResults | None = None
        params = SearchParams()
        try:
            params = SearchParams.from_query(query)
            if key:
                results = search_documents(
                    user=request.user,
                    text=params.text,
                    filters=params.filters,
                    sort=params.sort,
                    size=params.size,
                    cursor=params.cursor,
                )
        except RecordsError as exc:
            error = exc.message
            status = 503 if isinstance(exc, SearchUnavailable) else 400
        context = {
            "q": params.text[:2000],
            "params": params,
            "results": results,
            "error": error,
            "facets": facet_links(query, results) if results else [],
            "filters": active_filters(query, params, results),
            "sorts": sort_links(query, params.sort),
            "lag_notice": _lag_notice(results),
            "next_url": _next_url(query, results),
            "first_url": _url(_without_cursor(query)) if params.cursor else "",
            "export_fields": [(k, v) for k in ("q", "sort", *SEARCH_FACETS) for v in query.getlist(k)],
            "csrf_slot": mark_safe(CSRF_SLOT),  # noqa: S308 - a constant
        }
        html = render_to_string("records/admin/_search_body.html", context, request)
        if results is not None:
            audit = params.audit_changes(total=results.total, next_page=bool(params.cursor))
            access_record(actor=request.user, action="search.query", details=audit)
            fragment_set(key, {"html": html, "audit": audit})
        return self.respond(request, html, status)

    def respond(self, request: HttpRequest, html: str, status: int) -> HttpResponse:
        body = mark_safe(html.replace(CSRF_SLOT, str(csrf_input(request)), 1))  # noqa: S308
        return self.render_to_response(self.get_context_data(body=body), status=status)


def _lag_notice(results: DocumentSearchResults | None) -> str:
    if results is None or not results.index_behind:
        return ""
    return ngettext(
        "The index is behind by %(count)s change; the newest edits may not be found yet.",
        "The index is behind by %(count)s changes; the newest edits may not be found yet.",
        results.index_pending,
    ) % {"count": results.index_pending}


def _next_url(query: QueryDict, results: DocumentSearchResults | None) -> str:
    if results is None or not results.next_cursor:
        return ""
    params = query.copy()
    params["cursor"] = results.next_cursor
    return _url(params)


class SearchExportView(RegistryView):
    """The whole result list (up to the cap) as CSV or XLSX, through the same selector; one "search.export" event."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        file_format = request.POST.get("format", "")
        back = _url(_export_query(request.POST))
        if file_format not in export.FORMATS:
            messages.error(request, _("Unknown export format %(format)s.") % {"format": file_format[:20]})
            return HttpResponseRedirect(back)
        try:
            content = search_results_export(
                by=request.user, params=SearchParams.from_query(request.POST), file_format=file_format
            )
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        response = HttpResponse(content, content_type=export.FORMATS[file_format])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = content_disposition(f"search-{stamp}.{file_format}")
        return response


def _export_query(data: QueryDict) -> QueryDict:
    params = QueryDict(mutable=True)
    for key in ("q", "sort", *SEARCH_FACETS):
        values = [v[:MAX_VALUE_CHARS] for v in data.getlist(key)]
        if values:
            params.setlist(key, values)
    return params


urlpatterns = [
    path("", SearchView.as_view(), name="search"),
    path("export/", SearchExportView.as_view(), name="export"),
]

# The registry is the admin search box's first area, ordered ahead of Wagtail's pages, and the one
# way to search: no separate menu item repeats it (two "Search" entries confused people).
area = AreaViewSet(
    "records_search",
    url_prefix="search",
    urlpatterns=urlpatterns,
    links=[
        AreaLink(gettext_lazy("Registry"), "search", "registry", "doc-full", 50, is_staff_user, search=True)
    ],
)
