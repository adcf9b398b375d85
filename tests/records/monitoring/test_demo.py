"""The demo registers the last year's reports and gives every monitoring chart data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from records.models import Document, Signature


def test_the_demo_has_registered_reports_and_charts_with_data(db: Any, client: Client) -> None:
    call_command("seed_demo", "--students", "200", "--seed", "5", "--unsigned-statements")
    reports = Document.objects.filter(kind__startswith="report_", state="registered")
    assert sorted(reports.values_list("kind", flat=True)) == [
        "report_contingent", "report_graduates", "report_movement", "report_session_results",
        "report_teaching_load",
    ]  # fmt: skip
    for report in reports:
        assert Signature.objects.filter(document=report, void=False).exists(), report.kind
        assert report.current_version is not None and report.current_version.pdf_blob_id, report.kind
    load = reports.get(kind="report_teaching_load").current_version
    assert load is not None and Decimal(load.data["figures"]["assigned"]) > 0
    assert load.data["documents"]["execution"], "each department's autumn execution report is behind it"
    contingent = reports.get(kind="report_contingent").current_version
    assert contingent is not None and contingent.data["figures"]["students"] > 0
    # The graded department's sessions are complete: the last three paid terms have registered
    # scholarship orders (its scope) that award someone.
    orders = Document.objects.filter(kind="scholarship_order", state="registered")
    terms = {(o.current_version.data["academic_year"], o.current_version.data["semester"]) for o in orders}
    year = timezone.localdate().year if timezone.localdate().month >= 9 else timezone.localdate().year - 1
    assert terms == {(year - 1, 1), (year - 1, 2), (year, 1)}
    assert all(o.current_version.data["awarded"] for o in orders)
    rector = get_user_model().objects.get(username="rector")
    rector.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(rector)
    today = timezone.localdate()
    october = dt.date(today.year if today.month >= 10 else today.year - 1, 10, 1)
    pages = {
        "/admin/monitoring/": {"on": october.isoformat()},
        "/admin/monitoring/movement/": {
            "date_from": f"{october.year - 1}-09-01",
            "date_to": f"{october.year}-08-31",
        },
        "/admin/monitoring/results/": {},
        "/admin/monitoring/load/": {},
        "/admin/monitoring/ratings/": {},
        "/admin/monitoring/scholarships/": {},
    }
    for url, query in pages.items():
        response = client.get(url, query)
        assert response.status_code == 200
        assert response.content.decode().count("<rect") >= 2, url
    scholarships = client.get("/admin/monitoring/scholarships/").content.decode()
    assert scholarships.count('class="monitoring-chart"') == 2
    for order in orders:
        assert f'href="{reverse("records_admin:document", args=[order.pk])}"' in scholarships
