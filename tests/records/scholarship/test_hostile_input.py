"""No scholarship page ends in a 500, for any role, with bad parameters; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from records.models import Document, Role
from tests.records.scholarship.conftest import Registry, earlier_order

HOSTILE_GETS = [
    "/admin/scholarship/?academic_year=abc&semester=9&state=x&p=-1",
    "/admin/scholarship/?p=99999",
    "/admin/scholarship/new/?preview=1",
    "/admin/scholarship/new/?preview=1&academic_year=abc&semester=3&base_amount=1e99&increased_amount=-1",
    "/admin/scholarship/new/?preview=1&academic_year=2025&semester=1&base_amount=1&increased_amount=2&faculty=zz",
    "/admin/scholarship/new/?preview=1&academic_year=2999&semester=2&base_amount=1&increased_amount=2",
    "/admin/scholarship/999999/",
]


@pytest.mark.parametrize(
    "role", [Role.REGISTRAR, Role.DEAN, Role.RECTOR, Role.TEACHER, "other_dean", "anonymous"]
)
def test_no_server_error_and_nothing_created(
    client: Client, staff: dict[str, Any], complete: Registry, role: str
) -> None:
    order = earlier_order(complete, complete.people["good"], academic_year=2025, semester=1)
    if role != "anonymous":
        client.force_login(staff[role])
    for url in [*HOSTILE_GETS, f"/admin/scholarship/{order.pk}/"]:
        assert client.get(url).status_code < 500, url
    posts = [
        ("/admin/scholarship/new/", {"academic_year": "x", "confirm": "yes"}),
        ("/admin/scholarship/new/", {"academic_year": "2025", "semester": "1", "confirm": "yes"}),
        (f"/admin/scholarship/{order.pk}/export/", {}),
        (f"/admin/scholarship/{order.pk}/export/", {"format": "../../etc"}),
        ("/admin/scholarship/999999/export/", {"format": "xlsx"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code < 500, url
    assert Document.objects.filter(kind="scholarship_order").count() == 2
