"""Wagtail hooks of the diploma area: its URLs at /admin/diplomas/ and a menu item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from records.permissions import is_staff_user


class DiplomaMenuItem(MenuItem):
    """Shown to the registrar's office, administrators, deans and the rectorate."""

    def is_shown(self, request: HttpRequest) -> bool:
        from records.selectors_diplomas import may_see_diplomas

        return is_staff_user(request.user) and may_see_diplomas(request.user)


@hooks.register("register_admin_urls")
def register_diploma_urls() -> list[Any]:
    """Mount the diploma area at /admin/diplomas/."""
    from records.admin import blanks, diplomas

    return [
        path("diplomas/", include((diplomas.urlpatterns, "records_diplomas"), namespace="records_diplomas")),
        path("diplomas/blanks/", include((blanks.urlpatterns, "records_blanks"), namespace="records_blanks")),
    ]


@hooks.register("register_admin_menu_item")
def register_diploma_menu_item() -> MenuItem:
    """The "Diplomas" item of the sidebar."""
    return DiplomaMenuItem(
        _("Diplomas"), reverse("records_diplomas:index"), name="diplomas", icon_name="tick-inverse", order=114
    )
