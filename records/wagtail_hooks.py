"""Wagtail hooks of the registry: the back-office areas (from one list), the dashboard panels, the sidebar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from records.admin import (
    archive,
    blanks,
    diplomas,
    grade_statements,
    journal,
    org,
    registry,
    scholarship,
    search,
    signing,
    teaching,
    templates,
    transfers,
)
from records.admin.panels import DemoHistoryPanel, StateSummaryPanel, WaitingForMePanel
from records.demo.history import demo_history_job
from records.monitoring import area as monitoring_area
from records.permissions import is_staff_user

# Every back-office area, one per module of records/admin/ (a ViewSet; the org area is a snippet
# group). A new area is one module plus one line here.
AREAS: list[Any] = [
    registry.area,
    signing.area,
    grade_statements.area,
    journal.area,
    diplomas.area,
    blanks.area,
    monitoring_area.area,
    scholarship.area,
    teaching.area,
    search.area,
    templates.area,
    archive.area,
    org.area,
    transfers.area,
]


@hooks.register("register_admin_viewset")
def register_areas() -> list[ViewSet]:
    """Mount every area's URLs and sidebar items (Wagtail calls each area's on_register)."""
    return [area for area in AREAS if isinstance(area, ViewSet)]


for _snippet_area in AREAS:
    if isinstance(_snippet_area, type) and issubclass(_snippet_area, SnippetViewSetGroup):
        register_snippet(_snippet_area)


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
    if is_staff_user(request.user):
        alarm = transfers.fixity_alert_panel(request.user)
        if alarm is not None:
            panels.append(alarm)
        history = demo_history_job()
        if history is not None and history.state != history.State.DONE:
            panels.append(DemoHistoryPanel(history))
        panels.append(WaitingForMePanel(request.user))
        panels.append(StateSummaryPanel(request.user))


@hooks.register("construct_main_menu")
def hide_wagtail_content_menus(request: HttpRequest, menu_items: list[Any]) -> None:
    """The registry has no CMS pages, images or Wagtail documents, and Wagtail's editor guide is not
    ours to offer: keep the sidebar to the registry."""
    menu_items[:] = [
        item for item in menu_items if item.name not in {"explorer", "images", "documents", "help"}
    ]


@hooks.register("construct_homepage_summary_items", order=1000)
def hide_wagtail_content_summary(request: HttpRequest, summary_items: list[Any]) -> None:
    """No page, image or Wagtail-document counts on the dashboard: the panels below are the registry's.
    Last (order): wagtail.images and wagtail.documents, installed after records, add theirs after
    ours ran, and each then checked the user's collection permissions (queries) on every visit."""
    summary_items[:] = []
