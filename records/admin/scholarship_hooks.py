"""Wagtail hooks of scholarship orders: their URLs at /admin/scholarship/ and a menu item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from records.permissions import has_role, is_staff_user


class ScholarshipMenuItem(MenuItem):
    """Shown to the registrar, deans, the rector and the vice-rector."""

    def is_shown(self, request: HttpRequest) -> bool:
        from records.selectors_scholarship import SCHOLARSHIP_ROLES

        user = request.user
        return is_staff_user(user) and (
            getattr(user, "is_superuser", False) or has_role(user, SCHOLARSHIP_ROLES)
        )


@hooks.register("register_admin_urls")
def register_scholarship_urls() -> list[Any]:
    """Mount scholarship orders at /admin/scholarship/."""
    from records.admin import scholarship

    return [
        path(
            "scholarship/",
            include((scholarship.urlpatterns, "records_scholarship"), namespace="records_scholarship"),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_scholarship_menu_item() -> MenuItem:
    """The "Scholarship orders" item of the sidebar."""
    return ScholarshipMenuItem(
        _("Scholarship orders"),
        reverse("records_scholarship:index"),
        name="scholarship",
        icon_name="form",
        order=114,
    )
