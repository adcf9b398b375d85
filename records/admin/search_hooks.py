"""Wagtail hooks of the search page: its URLs under /admin/search/ and the sidebar search box."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.search import SearchArea

from records.permissions import is_staff_user


@hooks.register("register_admin_urls")
def register_search_urls() -> list[Any]:
    """Mount the search page at /admin/search/ (namespace "records_search")."""
    from records.admin.search import SearchExportView, SearchView

    urlpatterns = [
        path("", SearchView.as_view(), name="search"),
        path("export/", SearchExportView.as_view(), name="export"),
    ]
    return [path("search/", include((urlpatterns, "records_search"), namespace="records_search"))]


class RegistrySearchArea(SearchArea):
    """The registry as a search area, ordered first so the sidebar's search box searches documents.

    It is the one way to search: no separate menu item repeats it (two "Search" entries confused people).
    """

    def is_shown(self, request: HttpRequest) -> bool:
        return is_staff_user(request.user)


@hooks.register("register_admin_search_area")
def register_registry_search_area() -> SearchArea:
    """Offer the registry in the admin's search box (ahead of Wagtail's pages)."""
    return RegistrySearchArea(
        _("Registry"), reverse("records_search:search"), name="registry", icon_name="doc-full", order=50
    )
