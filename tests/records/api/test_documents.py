"""Documents through the API: the back office's permission policy, filters, the lifecycle journey."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.lifecycle import State
from records.models import AccessEvent, AuditEvent, Document, Role, Version
from records.services.document import document_create, document_submit
from tests.records.api.conftest import DATA, TokenClient

LIST = "/api/v1/documents"
Api = Callable[[str], TokenClient]


def events_of(document: Document) -> list[str]:
    return list(AuditEvent.objects.filter(document=document).order_by("id").values_list("action", flat=True))


@pytest.mark.parametrize("role", [Role.STUDENT, "other_dean"])
@pytest.mark.parametrize(
    "method,suffix",
    [
        ("get", ""),
        ("get", "/versions"),
        ("get", "/audit"),
        ("get", "/transitions"),
        ("post", "/transitions/submit"),
        ("patch", ""),
    ],
)
def test_a_document_out_of_scope_is_404_and_leaves_no_audit_event(
    api: Api, draft: Document, role: str, method: str, suffix: str
) -> None:
    before = events_of(draft)
    client = api(role)
    body = {"lock_version": draft.lock_version, "title": "Чужой"} if method == "patch" else {}
    response = getattr(client, method)(
        f"{LIST}/{draft.pk}{suffix}", **({} if method == "get" else {"body": body})
    )
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    assert events_of(draft) == before
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.title == "Приказ о графике"


@pytest.mark.parametrize("suffix", ["/versions", "/audit", "/transitions"])
def test_with_scope_the_sub_resources_answer_200_and_write_no_event(
    api: Api, draft: Document, suffix: str
) -> None:
    before = events_of(draft)
    for role in (Role.DEAN, Role.RECTOR, Role.AUDITOR):
        response = api(role).get(f"{LIST}/{draft.pk}{suffix}")
        assert response.status_code == 200, (role, response.content)
        assert isinstance(response.json(), list)
    assert events_of(draft) == before


def test_absent_and_forbidden_documents_look_the_same(api: Api, draft: Document) -> None:
    forbidden = api("other_dean").get(f"{LIST}/{draft.pk}")
    absent = api("other_dean").get(f"{LIST}/{draft.pk + 1000}")
    assert forbidden.status_code == absent.status_code == 404
    assert forbidden.json() == absent.json()


def test_the_detail_shows_state_number_version_and_this_users_transitions_and_is_audited(
    api: Api, users: dict[str, Any], draft: Document
) -> None:
    response = api(Role.DEAN).get(f"{LIST}/{draft.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == State.DRAFT
    assert body["registry_number"] == ""
    assert body["kind"] == "internal_order"
    assert body["current_version"]["number"] == 1
    assert body["current_version"]["data"]["subject"] == DATA["subject"]
    assert [t["name"] for t in body["transitions"]] == ["submit"]
    # the rector sees the draft too, but nothing can be approved before it is submitted
    rector_names = [t["name"] for t in api(Role.RECTOR).get(f"{LIST}/{draft.pk}").json()["transitions"]]
    assert "approve" not in rector_names
    views = AccessEvent.objects.filter(document=draft, action="document.view")
    assert [e.actor for e in views] == [users[Role.DEAN], users[Role.RECTOR]]


def test_the_list_shows_only_visible_documents(
    api: Api, users: dict[str, Any], org: Any, draft: Document
) -> None:
    foreign = document_create(
        by=users["other_dean"],
        kind="internal_order",
        org_unit=org.other_faculty,
        title="Юридический",
        data=DATA,
    )
    assert [d["id"] for d in api(Role.DEAN).get(LIST).json()["items"]] == [draft.pk]
    assert [d["id"] for d in api("other_dean").get(LIST).json()["items"]] == [foreign.pk]
    assert {d["id"] for d in api(Role.RECTOR).get(LIST).json()["items"]} == {draft.pk, foreign.pk}
    assert api(Role.STUDENT).get(LIST).json() == {"count": 0, "limit": 50, "offset": 0, "items": []}


def test_the_list_filters_by_kind_state_org_unit_year_and_text(
    api: Api, users: dict[str, Any], org: Any, draft: Document
) -> None:
    in_department = document_create(
        by=users[Role.HEAD_OF_DEPARTMENT],
        kind="internal_order",
        org_unit=org.department,
        title="О практике студентов",
        data=DATA,
    )
    document_submit(document=in_department, by=users[Role.HEAD_OF_DEPARTMENT])
    in_registrar = document_create(
        by=users[Role.REGISTRAR],
        kind="internal_order",
        org_unit=org.registrar_office,
        title="Об архиве",
        data=DATA,
    )
    rector = api(Role.RECTOR)
    year = draft.created_at.year

    def ids(**params: Any) -> set[int]:
        response = rector.get(LIST, **params)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == len(body["items"])
        return {item["id"] for item in body["items"]}

    everything = {draft.pk, in_department.pk, in_registrar.pk}
    assert ids() == everything
    assert ids(kind="internal_order") == everything
    assert ids(state="review") == {in_department.pk}
    assert ids(state="draft") == {draft.pk, in_registrar.pk}
    assert ids(org_unit=org.faculty.pk) == {draft.pk, in_department.pk}  # with its subtree
    assert ids(org_unit=org.department.pk) == {in_department.pk}
    assert ids(org_unit=999_999) == set()
    assert ids(year=year) == everything
    assert ids(year=year - 1) == set()
    assert ids(q="практике") == {in_department.pk}
    assert ids(q="архив", state="draft", org_unit=org.university.pk) == {in_registrar.pk}


def test_pagination_gives_the_total_count_and_pages(api: Api, users: dict[str, Any], org: Any) -> None:
    created = [
        document_create(
            by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title=f"№{i}", data=DATA
        )
        for i in range(7)
    ]
    newest_first = [d.pk for d in reversed(created)]
    client = api(Role.DEAN)
    first = client.get(LIST, limit=3).json()
    second = client.get(LIST, limit=3, offset=3).json()
    last = client.get(LIST, limit=3, offset=6).json()
    assert (first["count"], second["count"], last["count"]) == (7, 7, 7)
    assert [d["id"] for d in first["items"] + second["items"] + last["items"]] == newest_first
    assert client.get(LIST, limit=200).json()["count"] == 7


def test_the_list_query_count_does_not_grow_with_the_page_size(
    api: Api, users: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    for i in range(60):
        document_create(
            by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title=f"№{i}", data=DATA
        )
    client = api(Role.DEAN)
    assert client.get(LIST, limit=1).status_code == 200  # warms the token's last_used_at
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(LIST, limit=10, kind="internal_order").json()["items"]) == 10
    assert len(small) <= 5, [q["sql"] for q in small.captured_queries]  # token, grants, page, count
    with django_assert_num_queries(len(small)):
        assert len(client.get(LIST, limit=50, kind="internal_order").json()["items"]) == 50


def test_the_journey_create_submit_approve_through_the_api(api: Api, users: dict[str, Any], org: Any) -> None:
    dean, rector = api(Role.DEAN), api(Role.RECTOR)
    response = dean.post(
        LIST,
        {"kind": "internal_order", "org_unit": org.faculty.pk, "title": "О графике", "data": DATA},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == State.DRAFT and created["created_by"] == "dean"
    assert created["current_version"]["data"]["body"] == DATA["body"]
    url = f"{LIST}/{created['id']}"
    assert [t["name"] for t in dean.get(f"{url}/transitions").json()] == ["submit"]

    submitted = dean.post(f"{url}/transitions/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == State.REVIEW
    assert submitted.json()["current_version"]["frozen"] is True

    refused = dean.post(f"{url}/transitions/approve")  # four eyes: not the author
    assert refused.status_code == 400
    assert refused.json()["code"] == "transition_not_allowed"

    assert "approve" in [t["name"] for t in rector.get(f"{url}/transitions").json()]
    approved = rector.post(f"{url}/transitions/approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == State.APPROVED
    assert approved.json()["registry_number"].startswith("ПР-")

    trail = dean.get(f"{url}/audit")
    assert trail.status_code == 200
    actions = [(e["action"], e["actor"]) for e in trail.json()]
    assert ("document.create", "dean") in actions
    assert actions[-1] == ("document.render", "rector")
    assert [a for a, _ in actions if a != "document.view"] == [
        "document.create",
        "document.submit",
        "document.approve",
        "document.render",
    ]


def test_reject_needs_a_reason_and_starts_a_new_draft_version(
    api: Api, users: dict[str, Any], draft: Document
) -> None:
    document_submit(document=draft, by=users[Role.DEAN])
    url = f"{LIST}/{draft.pk}"
    rector = api(Role.RECTOR)
    without = rector.post(f"{url}/transitions/reject")
    assert without.status_code == 400 and without.json()["code"] == "reason_required"
    assert Document.objects.get(pk=draft.pk).state == State.REVIEW

    rejected = rector.post(f"{url}/transitions/reject", {"reason": "Уточнить срок"})
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["state"] == State.DRAFT
    assert rejected.json()["current_version"]["number"] == 2
    versions = api(Role.DEAN).get(f"{url}/versions").json()
    assert [(v["number"], v["frozen"]) for v in versions] == [(2, False), (1, True)]
    reject_event = AuditEvent.objects.get(document=draft, action="document.reject")
    assert reject_event.changes["reason"] == "Уточнить срок"
    assert reject_event.actor == users[Role.RECTOR]


def test_editing_a_draft_with_a_stale_lock_version_is_409_and_changes_nothing(
    api: Api, users: dict[str, Any], draft: Document
) -> None:
    url = f"{LIST}/{draft.pk}"
    dean = api(Role.DEAN)
    loaded = dean.get(url).json()["lock_version"]
    first = dean.patch(url, {"lock_version": loaded, "data": {**DATA, "body": "Первая правка"}})
    assert first.status_code == 200, first.content
    assert first.json()["lock_version"] == loaded + 1
    assert first.json()["current_version"]["data"]["body"] == "Первая правка"

    second = api(Role.REGISTRAR).patch(url, {"lock_version": loaded, "title": "Вторая правка"})
    assert second.status_code == 409
    assert second.json()["code"] == "concurrent_edit"
    assert "someone else" in second.json()["message"]
    draft.refresh_from_db()
    assert draft.title == "Приказ о графике"
    assert Version.objects.get(document=draft).data["body"] == "Первая правка"
    assert events_of(draft).count("document.edit") == 1


def test_a_frozen_version_cannot_be_edited_through_the_api(
    api: Api, users: dict[str, Any], draft: Document
) -> None:
    draft = document_submit(document=draft, by=users[Role.DEAN])
    response = api(Role.DEAN).patch(
        f"{LIST}/{draft.pk}", {"lock_version": draft.lock_version, "title": "Новое"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Document.objects.get(pk=draft.pk).title == "Приказ о графике"


def test_drafting_for_a_unit_out_of_scope_is_403_and_writes_nothing(api: Api, org: Any) -> None:
    response = api(Role.DEAN).post(
        LIST, {"kind": "internal_order", "org_unit": org.other_faculty.pk, "title": "Чужой", "data": DATA}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Document.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_kinds_list_codes_names_and_the_json_schema_of_their_data(api: Api) -> None:
    response = api(Role.STUDENT).get("/api/v1/kinds")
    assert response.status_code == 200
    kinds = {k["code"]: k for k in response.json()}
    order = kinds["internal_order"]
    assert order["names"]["en"] == "Internal order"
    assert order["data_schema"]["type"] == "object"
    assert {"subject", "body"} <= set(order["data_schema"]["required"])
    assert "effective_date" in order["data_schema"]["properties"]
