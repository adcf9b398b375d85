"""Wagtail hooks of the search page: its URLs under /admin/search/ and the "Search" menu item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
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


class SearchMenuItem(MenuItem):
    """The "Search" item, shown to users who hold a staff role (or are superusers)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return is_staff_user(request.user)


@hooks.register("register_admin_menu_item")
def register_search_menu_item() -> MenuItem:
    """The "Search" item of the sidebar, under "Documents"."""
    return SearchMenuItem(
        _("Search the registry"),
        reverse("records_search:search"),
        name="registry-search",
        icon_name="search",
        order=105,
    )


class RegistrySearchArea(SearchArea):
    """The registry as a search area, ordered first so the sidebar's search box searches documents."""

    def is_shown(self, request: HttpRequest) -> bool:
        return is_staff_user(request.user)


@hooks.register("register_admin_search_area")
def register_registry_search_area() -> SearchArea:
    """Offer the registry in the admin's search box (ahead of Wagtail's pages)."""
    return RegistrySearchArea(
        _("Registry"), reverse("records_search:search"), name="registry", icon_name="doc-full", order=50
    )
