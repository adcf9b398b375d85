"""The archive area: scoped to the archive's officials, paginated, translated, a fixed number of
queries however many rows; holds placed and lifted and acts drafted through its forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from records.models import AuditEvent, Document, Hold, Role
from records.services.holds import hold_place
from tests.records.archive.conftest import due_orders

PAGES = ["/admin/archive/", "/admin/archive/due/", "/admin/archive/holds/", "/admin/archive/acts/"]


def _client(user: Any, language: str = "ru") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_only_the_archive_officials_open_the_area(staff: dict[str, Any], url: str) -> None:
    for role in (Role.DEAN, Role.TEACHER, Role.REGISTRAR):
        assert _client(staff[role]).get(url).status_code == 403, role
    for role in (Role.ARCHIVIST, Role.RECTOR, Role.AUDITOR, Role.EXPERT_COMMISSION):
        assert _client(staff[role]).get(url).status_code == 200, role


def test_the_pages_cost_the_same_queries_for_3_and_30_rows(
    staff: dict[str, Any], org: Any, plan: Document
) -> None:
    archivist = _client(staff[Role.ARCHIVIST])
    orders = due_orders(staff, org, 3)
    hold_place(by=staff[Role.ARCHIVIST], kind="legal", reason="Иск", document=orders[0])
    for url in PAGES:  # the first admin page builds the user's Wagtail profile and cached sidebar
        archivist.get(url)
    few = {url: _queries(archivist, url) for url in PAGES}
    more = due_orders(staff, org, 27)
    for order in more[:5]:
        hold_place(by=staff[Role.ARCHIVIST], kind="audit", reason="Проверка", document=order)
    many = {url: _queries(archivist, url) for url in PAGES}
    assert many == few
    assert max(many.values()) <= 20, many


def test_the_file_plan_counts_and_the_due_list_is_paginated_and_filtered(
    staff: dict[str, Any], org: Any, plan: Document
) -> None:
    due_orders(staff, org, 55)
    archivist = _client(staff[Role.ARCHIVIST])
    index = archivist.get("/admin/archive/").content.decode()
    assert "01-05" in index and "Дело 01-05" in index and ">55</a>" in index
    first = archivist.get("/admin/archive/due/").content.decode()
    assert first.count('name="document"') == 50
    second = archivist.get("/admin/archive/due/?p=2").content.decode()
    assert second.count('name="document"') == 5
    assert 'name="document"' not in archivist.get("/admin/archive/due/?series=02-01").content.decode()
    english = _client(staff[Role.ARCHIVIST], "en").get("/admin/archive/").content.decode()
    assert "File 01-05" in english and "Due for disposition" in english
    kazakh = _client(staff[Role.ARCHIVIST], "kk").get("/admin/archive/").content.decode()
    assert "Іс 01-05" in kazakh


def test_the_due_list_is_scoped_to_the_officials_units(
    staff: dict[str, Any], org: Any, plan: Document
) -> None:
    from tests.factories import make_staff

    due_orders(staff, org, 2)  # owned by the faculty
    elsewhere = make_staff("other_archivist", Role.ARCHIVIST, org.other_faculty)
    page = _client(elsewhere).get("/admin/archive/due/").content.decode()
    assert 'name="document"' not in page
    assert (
        _client(staff[Role.ARCHIVIST]).get("/admin/archive/due/").content.decode().count('name="document"')
        == 2
    )


def test_holds_are_placed_and_lifted_through_the_page(
    staff: dict[str, Any], org: Any, plan: Document
) -> None:
    order = due_orders(staff, org, 1)[0]
    archivist = _client(staff[Role.ARCHIVIST])
    response = archivist.post(
        "/admin/archive/holds/",
        {"kind": "legal", "reason": "Судебный запрос", "document": order.registry_number},
    )
    assert response.status_code == 302
    hold = Hold.objects.get()
    assert hold.document == order and hold.lifted_at is None
    dean = _client(staff[Role.DEAN])
    assert dean.post("/admin/archive/holds/", {"lift": hold.pk, "reason": "нет"}).status_code == 403
    # re-filing through the page is refused under hold, and says why
    refused = archivist.post(
        "/admin/archive/refile/",
        {"document": order.registry_number, "series": "01-01", "reason": "ошибка"},
        follow=True,
    )
    assert "На документ наложен запрет" in refused.content.decode()  # the refusal, in the reader's language
    assert order.filing.series_index == "01-05"
    archivist.post("/admin/archive/holds/", {"lift": hold.pk, "reason": "Запрос отозван"})
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lift_reason == "Запрос отозван"
    assert AuditEvent.objects.filter(action="hold.lift").count() == 1


def test_an_act_is_drafted_from_the_due_list(staff: dict[str, Any], org: Any, plan: Document) -> None:
    orders = due_orders(staff, org, 2)
    archivist = _client(staff[Role.ARCHIVIST])
    response = archivist.post(
        "/admin/archive/due/", {"action": "act", "document": [o.pk for o in orders], "reason": "Истёк срок"}
    )
    assert response.status_code == 302
    act = Document.objects.get(kind="disposition_act")
    assert act.state == "draft" and act.current_version.data["records"] == [o.registry_number for o in orders]
    assert response["Location"].endswith(f"/{act.pk}/")
    # a review keeps a record longer, with a reason
    before = orders[0].filing.due_on
    archivist.post(
        "/admin/archive/due/",
        {"action": "extend", "document": [orders[0].pk], "years": "3", "reason": "Экспертиза"},
    )
    orders[0].filing.refresh_from_db()
    assert orders[0].filing.due_on == before.replace(year=before.year + 3)
