"""Wagtail hooks of the leadership monitoring: its URLs at /admin/monitoring/ and a menu item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from records.permissions import may_monitor


class MonitoringMenuItem(MenuItem):
    """Shown to the rector, vice-rectors, deans, heads of department and the registrar."""

    def is_shown(self, request: HttpRequest) -> bool:
        return may_monitor(request.user)


@hooks.register("register_admin_urls")
def register_monitoring_urls() -> list[Any]:
    """Mount the monitoring at /admin/monitoring/."""
    from records.monitoring import views

    return [
        path(
            "monitoring/", include((views.urlpatterns, "records_monitoring"), namespace="records_monitoring")
        )
    ]


@hooks.register("register_admin_menu_item")
def register_monitoring_menu_item() -> MenuItem:
    """The "Monitoring" item of the sidebar."""
    return MonitoringMenuItem(
        _("Monitoring"),
        reverse("records_monitoring:students"),
        name="monitoring",
        icon_name="table",
        order=105,
    )
