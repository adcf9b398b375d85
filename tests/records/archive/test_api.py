"""The records-management read API: /api/v1/archive/due and /api/v1/archive/holds, token-authenticated,
refused to anyone but the archive officials, scoped to their units and paginated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from records.models import ApiToken, Document, Role
from records.services.holds import hold_lift, hold_place
from tests.records.api.conftest import TokenClient
from tests.records.archive.conftest import due_orders


def test_the_due_list_is_read_by_the_archive_officials_paginated_with_its_holds(
    users: dict[str, Any], org: Any, plan: Document, api: Callable[[str], TokenClient]
) -> None:
    records = due_orders(users, org, 3)
    hold = hold_place(by=users[Role.ARCHIVIST], kind="legal", reason="Иск", document=records[1])
    archivist = api(Role.ARCHIVIST)
    page = archivist.get("/api/v1/archive/due", limit=2).json()
    assert page["count"] == 3 and page["limit"] == 2 and len(page["items"]) == 2
    rest = archivist.get("/api/v1/archive/due", limit=2, offset=2).json()["items"]
    items = {item["id"]: item for item in page["items"] + rest}
    assert set(items) == {r.pk for r in records}
    assert items[records[1].pk]["held_by"] == [hold.pk] and items[records[0].pk]["held_by"] == []
    first = items[records[0].pk]
    assert (first["number"], first["series"], first["action"]) == (
        records[0].registry_number,
        "01-05",
        "destroy",
    )
    assert archivist.get("/api/v1/archive/due", series="01-01").json()["count"] == 0
    assert archivist.get("/api/v1/archive/due", on="2001-01-01").json()["count"] == 0
    assert archivist.get("/api/v1/archive/due", action="nonsense").status_code == 422
    assert archivist.get("/api/v1/archive/due", limit=1000).status_code == 422
    # the rector reads it too; a dean, a student and an anonymous caller do not
    assert api(Role.RECTOR).get("/api/v1/archive/due").json()["count"] == 3
    refused = api(Role.DEAN).get("/api/v1/archive/due")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert api(Role.STUDENT).get("/api/v1/archive/due").status_code == 403
    assert TokenClient("wrong").get("/api/v1/archive/due").status_code == 401


def test_the_due_list_is_scoped_to_the_officials_units(
    users: dict[str, Any], org: Any, plan: Document
) -> None:
    from tests.factories import make_staff

    due_orders(users, org, 2)  # owned by the faculty
    elsewhere = make_staff("other_archivist", Role.ARCHIVIST, org.other_faculty)
    _token, key = ApiToken.issue(user=elsewhere, name="tests")
    assert TokenClient(key).get("/api/v1/archive/due").json()["count"] == 0


def test_the_holds_are_listed_newest_first_active_or_all(
    users: dict[str, Any], org: Any, registered_doc: Document, api: Callable[[str], TokenClient]
) -> None:
    first = hold_place(by=users[Role.ARCHIVIST], kind="legal", reason="Иск", document=registered_doc)
    second = hold_place(by=users[Role.AUDITOR], kind="audit", reason="Проверка", series_index="01-05")
    hold_lift(hold=first, by=users[Role.ARCHIVIST], reason="Иск отозван")
    auditor = api(Role.AUDITOR)
    everything = auditor.get("/api/v1/archive/holds").json()
    assert everything["count"] == 2 and [h["id"] for h in everything["items"]] == [second.pk, first.pk]
    lifted = everything["items"][1]
    assert lifted["scope"] == "document" and lifted["document_id"] == registered_doc.pk
    assert lifted["lifted_by"] == users[Role.ARCHIVIST].username and lifted["lift_reason"] == "Иск отозван"
    assert lifted["scope_text"] == registered_doc.registry_number
    active = auditor.get("/api/v1/archive/holds", active="true").json()
    assert [h["id"] for h in active["items"]] == [second.pk] and active["items"][0]["scope_text"] == "01-05"
    assert len(auditor.get("/api/v1/archive/holds", limit=1).json()["items"]) == 1
    assert api(Role.DEAN).get("/api/v1/archive/holds").status_code == 403
