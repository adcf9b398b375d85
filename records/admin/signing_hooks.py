"""Wagtail hooks of the signing area: its URLs at /admin/signing/ and the "To sign" and LTV menu items."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from records.kinds.base import all_kinds
from records.permissions import has_role, is_staff_user


def holds_a_signing_role(user: Any) -> bool:
    """True when the user holds a role of some kind's signing route."""
    return has_role(user, {step.role for kind in all_kinds() for step in kind.signing_route})


class SignerMenuItem(MenuItem):
    """Shown to staff who hold a signing role."""

    def is_shown(self, request: HttpRequest) -> bool:
        return is_staff_user(request.user) and holds_a_signing_role(request.user)


class LtvMenuItem(MenuItem):
    """Shown to auditors."""

    def is_shown(self, request: HttpRequest) -> bool:
        from records.admin.signing import may_see_ltv

        return may_see_ltv(request.user)


@hooks.register("register_admin_urls")
def register_signing_urls() -> list[Any]:
    """Mount the signing area at /admin/signing/."""
    from records.admin import signing

    return [path("signing/", include((signing.urlpatterns, "records_signing"), namespace="records_signing"))]


@hooks.register("register_admin_menu_item")
def register_to_sign_menu_item() -> MenuItem:
    """The "To sign" item of the sidebar."""
    return SignerMenuItem(
        _("To sign"), reverse("records_signing:to_sign"), name="signing-to-sign", icon_name="key", order=105
    )


@hooks.register("register_admin_menu_item")
def register_ltv_menu_item() -> MenuItem:
    """The "Long-term validation" item of the sidebar, for auditors."""
    return LtvMenuItem(
        _("Long-term validation"),
        reverse("records_signing:ltv"),
        name="signing-ltv",
        icon_name="date",
        order=125,
    )
