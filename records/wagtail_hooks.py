"""Wagtail hooks of the registry: admin URLs, menu items and dashboard panels."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from records.permissions import is_staff_user


@hooks.register("register_admin_urls")
def register_registry_urls() -> list[Any]:
    """Mount the registry's back office at /admin/registry/."""
    from records.admin import urls

    return [path("registry/", include((urls.urlpatterns, "records_admin"), namespace="records_admin"))]


class StaffMenuItem(MenuItem):
    """A menu item shown to users who hold a staff role (or are superusers)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return is_staff_user(request.user)


class AuditorMenuItem(MenuItem):
    """A menu item shown to those the selector grants the system audit trail."""

    def is_shown(self, request: HttpRequest) -> bool:
        from records.admin.audit import may_read_system_trail

        return may_read_system_trail(request.user)


@hooks.register("register_admin_menu_item")
def register_documents_menu_item() -> MenuItem:
    """The "Documents" item of the sidebar."""
    return StaffMenuItem(
        _("Documents"),
        reverse("records_admin:documents"),
        name="registry-documents",
        icon_name="doc-full",
        order=100,
    )


class NewDocumentMenuItem(MenuItem):
    """Shown only to those who may draft a document of some kind somewhere (auditors and archivists
    would otherwise see "New document" and then be refused)."""

    def is_shown(self, request: HttpRequest) -> bool:
        from records.admin.editing import may_draft_some_kind

        return may_draft_some_kind(request.user)


@hooks.register("register_admin_menu_item")
def register_new_document_menu_item() -> MenuItem:
    """The "New document" item of the sidebar."""
    return NewDocumentMenuItem(
        _("New document"), reverse("records_admin:create"), name="registry-new", icon_name="plus", order=110
    )


@hooks.register("register_admin_menu_item")
def register_audit_menu_item() -> MenuItem:
    """The "Audit trail" item of the sidebar, for auditors."""
    return AuditorMenuItem(
        _("Audit trail"),
        reverse("records_admin:audit"),
        name="registry-audit",
        icon_name="history",
        order=120,
    )


WAGTAIL_PAGE_PANELS = {
    "user_objects_in_workflow_moderation",
    "workflow_objects_to_moderate",
    "locked_pages",
    "recent_edits",
}


@hooks.register("construct_homepage_panels")
def add_registry_panels(request: HttpRequest, panels: list[Any]) -> None:
    """Add "Waiting for me" and the counts by state to the dashboard (Wagtail's page panels go:
    the registry has no CMS pages, and each of them costs queries on every visit)."""
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in WAGTAIL_PAGE_PANELS]
    from records.admin.panels import DemoHistoryPanel, StateSummaryPanel, WaitingForMePanel
    from records.demo.history import demo_history_job

    if is_staff_user(request.user):
        history = demo_history_job()
        if history is not None and history.state != history.State.DONE:
            panels.append(DemoHistoryPanel(history))
        panels.append(WaitingForMePanel(request.user))
        panels.append(StateSummaryPanel(request.user))


def _load_area_hooks() -> None:
    """Each back-office area registers its own hooks in records/admin/<area>_hooks.py."""
    from importlib import import_module

    for area in (
        "diplomas",
        "grade_statements",
        "monitoring",
        "org",
        "scholarship",
        "search",
        "signing",
        "templates",
    ):
        module = f"records.admin.{area}_hooks"
        try:
            import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


_load_area_hooks()


@hooks.register("construct_main_menu")
def hide_wagtail_content_menus(request: HttpRequest, menu_items: list[Any]) -> None:
    """The registry has no CMS pages, images or Wagtail documents, and Wagtail's editor guide is not
    ours to offer: keep the sidebar to the registry."""
    menu_items[:] = [
        item for item in menu_items if item.name not in {"explorer", "images", "documents", "help"}
    ]


@hooks.register("construct_homepage_summary_items")
def hide_wagtail_content_summary(request: HttpRequest, summary_items: list[Any]) -> None:
    """No page, image or Wagtail-document counts on the dashboard: the panels below are the registry's."""
    summary_items[:] = []
