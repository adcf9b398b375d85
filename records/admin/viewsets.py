"""One back-office area is one Wagtail ViewSet: its URLs, its sidebar items and who sees them.

An area module ends with ``area = AreaViewSet(...)``; ``records/wagtail_hooks.py`` registers every
area from one list through Wagtail's ``register_admin_viewset`` hook. Wagtail mounts the URLs at
``/admin/<url_prefix>/`` under the namespace ``name`` and calls ``on_register``, which adds the
sidebar items (and, for the search area, the admin search box entry).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, reverse
from django.utils.functional import Promise
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.search import SearchArea
from wagtail.admin.viewsets.base import ViewSet

# A rule of records.permissions: may this user see the item?
Rule = Callable[[Any], bool]


@dataclass(frozen=True)
class AreaLink:
    """A sidebar item (or, with ``search`` set, the admin search box entry) of an area."""

    label: str | Promise
    url_name: str  # a URL name of the area (without the namespace)
    name: str
    icon: str
    order: int
    shown: Rule
    search: bool = False


class RuleMenuItem(MenuItem):
    """A sidebar item shown to those its rule admits."""

    def __init__(self, *args: Any, shown: Rule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown = shown

    def is_shown(self, request: HttpRequest) -> bool:
        return self.shown(request.user)


class RuleSearchArea(SearchArea):
    """An entry of the admin search box shown to those its rule admits."""

    def __init__(self, *args: Any, shown: Rule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown = shown

    def is_shown(self, request: HttpRequest) -> bool:
        return self.shown(request.user)


class AreaViewSet(ViewSet):
    """A back-office area: URL patterns mounted at ``/admin/<url_prefix>/`` in namespace ``name``."""

    def __init__(
        self,
        name: str,
        *,
        url_prefix: str,
        urlpatterns: Sequence[URLPattern | URLResolver],
        links: Sequence[AreaLink] = (),
    ) -> None:
        super().__init__(name)
        self.url_prefix = url_prefix  # overrides ViewSet's cached property (which defaults to name)
        self.area_urlpatterns = list(urlpatterns)
        self.links = tuple(links)

    def get_urlpatterns(self) -> list[Any]:
        return self.area_urlpatterns

    def on_register(self) -> None:
        for link in self.links:
            hook = "register_admin_search_area" if link.search else "register_admin_menu_item"
            hooks.register(hook, partial(self.link_item, link))

    def link_item(self, link: AreaLink) -> MenuItem | SearchArea:
        item_class: type[RuleMenuItem] | type[RuleSearchArea] = (
            RuleSearchArea if link.search else RuleMenuItem
        )
        return item_class(
            link.label,
            reverse(self.get_url_name(link.url_name)),
            name=link.name,
            icon_name=link.icon,
            order=link.order,
            shown=link.shown,
        )
