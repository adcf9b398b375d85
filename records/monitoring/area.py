"""The monitoring's back-office area (/admin/monitoring/): its URLs and sidebar item, registered from
records.wagtail_hooks.AREAS."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy

from records.admin.viewsets import AreaLink, AreaViewSet
from records.monitoring.report_views import ReportFileView, ReportsView
from records.monitoring.views import (
    LoadListView,
    MonitoringView,
    MovementListView,
    RatingsListView,
    ResultsListView,
    StudentsListView,
)
from records.permissions import may_open_monitoring


def _section_view(section: str) -> Any:
    view: type[MonitoringView] = type(
        f"{section.title()}MonitoringView", (MonitoringView,), {"section": section}
    )
    return view.as_view()


urlpatterns = [
    path("", _section_view("students"), name="students"),
    path("movement/", _section_view("movement"), name="movement"),
    path("results/", _section_view("results"), name="results"),
    path("ratings/", _section_view("ratings"), name="ratings"),
    path("scholarships/", _section_view("scholarships"), name="scholarships"),
    path("load/", _section_view("load"), name="load"),
    path("students/list/", StudentsListView.as_view(), name="students_list"),
    path("movement/list/", MovementListView.as_view(), name="movement_list"),
    path("results/list/", ResultsListView.as_view(), name="results_list"),
    path("load/list/", LoadListView.as_view(), name="load_list"),
    path("ratings/list/", RatingsListView.as_view(), name="ratings_list"),
    path("reports/", ReportsView.as_view(), name="reports"),
    path("reports/<int:pk>/<str:file_format>/", ReportFileView.as_view(), name="report_file"),
]


area = AreaViewSet(
    "records_monitoring",
    url_prefix="monitoring",
    urlpatterns=urlpatterns,
    links=[AreaLink(gettext_lazy("Monitoring"), "students", "monitoring", "table", 105, may_open_monitoring)],
)
