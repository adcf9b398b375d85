"""Wagtail hooks of the grade statement editor: its URLs at /admin/statements/ and a menu item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from records.permissions import has_role, is_staff_user


class StatementMenuItem(MenuItem):
    """Shown to staff who may draft grade statements somewhere."""

    def is_shown(self, request: HttpRequest) -> bool:
        from records.kinds.base import get_kind

        user = request.user
        return is_staff_user(user) and has_role(user, get_kind("grade_statement").creator_roles)


@hooks.register("register_admin_urls")
def register_statement_urls() -> list[Any]:
    """Mount the grade statement editor at /admin/statements/."""
    from records.admin import grade_statements

    return [
        path(
            "statements/",
            include((grade_statements.urlpatterns, "records_statements"), namespace="records_statements"),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_statement_menu_item() -> MenuItem:
    """The "Grade statements" item of the sidebar."""
    return StatementMenuItem(
        _("Grade statements"),
        reverse("records_statements:due"),
        name="statements-due",
        icon_name="table",
        order=112,
    )
