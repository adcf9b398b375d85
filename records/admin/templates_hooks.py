"""Wagtail hooks of the template area: its URLs at /admin/templates/ and the "Templates" menu item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from records.services.templates import may_manage_templates


def _urlpatterns() -> list[Any]:
    from records.admin import templates as views

    return [
        path("", views.TemplateIndexView.as_view(), name="index"),
        path("kinds/<slug:kind>/<slug:language>/", views.TemplateHistoryView.as_view(), name="history"),
        path("versions/<int:pk>/", views.TemplateVersionView.as_view(), name="version"),
        path(
            "versions/<int:pk>/preview.pdf",
            views.TemplateVersionPreviewView.as_view(),
            name="version_preview",
        ),
        path(
            "versions/<int:pk>/download/",
            views.TemplateVersionDownloadView.as_view(),
            name="version_download",
        ),
        path("versions/<int:pk>/activate/", views.TemplateActivateView.as_view(), name="activate"),
        path("kinds/<slug:kind>/<slug:language>/reset/", views.TemplateResetView.as_view(), name="reset"),
        path("documents/<int:pk>/preview.pdf", views.DocumentPreviewView.as_view(), name="document_preview"),
        path("jobs/new/", views.BatchRenderStartView.as_view(), name="job_start"),
        path("jobs/<int:pk>/", views.RenderJobView.as_view(), name="job"),
        path("jobs/<int:pk>/status.json", views.RenderJobStatusView.as_view(), name="job_status"),
    ]


@hooks.register("register_admin_urls")
def register_template_urls() -> list[Any]:
    """Mount the template pages at /admin/templates/."""
    return [path("templates/", include((_urlpatterns(), "records_templates"), namespace="records_templates"))]


class TemplateManagerMenuItem(MenuItem):
    """Shown to administrators and registrars."""

    def is_shown(self, request: HttpRequest) -> bool:
        return may_manage_templates(request.user)


@hooks.register("register_admin_menu_item")
def register_templates_menu_item() -> MenuItem:
    """The "Templates" item of the sidebar."""
    return TemplateManagerMenuItem(
        _("Templates"),
        reverse("records_templates:index"),
        name="registry-templates",
        icon_name="doc-full-inverse",
        order=130,
    )
