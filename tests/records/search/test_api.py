"""GET /api/v1/search: the same selector and scope as the back office, JSON shape, events."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from records.models import AccessEvent, Document, Person, Role
from records.services.document import document_create
from search.sync import drain
from tests.conftest import walk_route
from tests.records.search.conftest import API, Corpus, api_get, draft, last_read_id, login, reads_after


def test_anonymous_gets_401_and_no_event(client: Any, corpus: Corpus) -> None:
    before = last_read_id()
    response = client.get(API, {"q": "Қазақстан"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert reads_after(before) == []


def test_the_archivist_finds_everything_with_the_documented_shape(
    staff: dict[str, Any], corpus: Corpus
) -> None:
    before = last_read_id()
    response = api_get(staff[Role.ARCHIVIST], q="ҚАЗАҚСТАН")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3
    assert {hit["id"] for hit in body["hits"]} == {corpus.faculty.pk, corpus.department.pk, corpus.law.pk}
    hit = next(h for h in body["hits"] if h["id"] == corpus.law.pk)
    assert hit["title"] == "Юридический приказ"
    assert hit["kind"] == "internal_order" and hit["state"] == "draft"
    assert isinstance(hit["score"], float)
    assert any("<mark>Қазақстандағы</mark>" in s for s in hit["snippets"])
    assert set(body["facets"]) == {"kind", "org_unit", "year", "state", "signers", "retention_class"}
    assert body["facets"]["kind"][0]["value"] == "internal_order"
    assert body["facets"]["kind"][0]["count"] == 3
    assert body["next_cursor"] is None
    assert body["index_behind"] is False
    assert reads_after(before) == ["search.query"]
    assert AccessEvent.objects.get(id__gt=before).actor == staff[Role.ARCHIVIST]


def test_the_api_and_the_page_give_the_same_hits(staff: dict[str, Any], corpus: Corpus, org: Any) -> None:
    # Not "приказ": every internal order now matches its kind's name in kk/ru/en.
    params = {"q": "практика", "org_unit": str(org.faculty.pk), "sort": "-date"}
    api_ids = [h["id"] for h in api_get(staff[Role.DEAN], **params).json()["hits"]]
    page = login(staff[Role.DEAN]).get("/admin/search/", params)
    assert api_ids == [row.document.pk for row in page.context["results"].hits] == [corpus.faculty.pk]


def test_filters_and_the_cursor_walk_every_hit_once(staff: dict[str, Any], corpus: Corpus) -> None:
    seen: list[int] = []
    cursor = ""
    for _page in range(3):
        body = api_get(
            staff[Role.ARCHIVIST], q="Қазақстан", kind="internal_order", size=2, cursor=cursor
        ).json()
        seen.extend(hit["id"] for hit in body["hits"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted([corpus.faculty.pk, corpus.department.pk, corpus.law.pk])
    assert api_get(staff[Role.ARCHIVIST], q="Қазақстан", state="registered").json()["total"] == 0


def test_index_behind_is_reported_while_the_outbox_has_rows(staff: dict[str, Any], org: Any) -> None:
    draft(staff, Role.DEAN, org.faculty, "Приказ о практике", "Қазақстандағы практика.")
    body = api_get(staff[Role.DEAN], q="практика").json()
    assert body["index_behind"] is True and body["index_pending"] == 1
    assert body["total"] == 0
    drain()
    body = api_get(staff[Role.DEAN], q="практика").json()
    assert body["index_behind"] is False and body["total"] == 1


@pytest.fixture
def issued_to_student(users: dict[str, Any], org: Any) -> Document:
    """An internal order about the student, signed by the rector and registered (so issued to them)."""
    student = Person.objects.get(user=users[Role.STUDENT])
    data = {"subject": "Қазақстандағы практикаға жіберу", "body": "Студентті практикаға жіберу."}
    doc = document_create(
        by=users[Role.DEAN],
        kind="internal_order",
        org_unit=org.faculty,
        title="Практика",
        data=data,
        subject=student,
    )
    return walk_route(users, doc, approver=Role.RECTOR)


def test_a_student_finds_only_their_own_issued_document(
    staff: dict[str, Any], org: Any, issued_to_student: Document
) -> None:
    other = draft(staff, Role.DEAN, org.faculty, "Черновик о практике", "Қазақстандағы практика.")
    assert drain().ok
    body = api_get(staff[Role.STUDENT], q="Қазақстан").json()
    assert [hit["id"] for hit in body["hits"]] == [issued_to_student.pk]
    assert body["total"] == 1
    assert body["facets"]["state"] == [
        {"value": "registered", "label": body["facets"]["state"][0]["label"], "count": 1}
    ]
    everything = api_get(staff[Role.STUDENT]).json()  # no text: every document the student may find
    assert [hit["id"] for hit in everything["hits"]] == [issued_to_student.pk]
    # The signer facet and the registry number are searchable too, and the archivist sees both documents.
    archivist = api_get(staff[Role.ARCHIVIST], q="практика").json()
    assert {hit["id"] for hit in archivist["hits"]} == {issued_to_student.pk, other.pk}
    assert [
        hit["id"]
        for hit in api_get(staff[Role.ARCHIVIST], q=issued_to_student.registry_number).json()["hits"]
    ] == [issued_to_student.pk]
    assert archivist["facets"]["signers"][0]["count"] == 1


def test_the_openapi_schema_describes_the_search_endpoint(db: object) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/search"]["get"]
    params = {p["name"] for p in operation["parameters"]}
    assert {"q", "kind", "state", "org_unit", "year", "sort", "size", "cursor"} <= params
    assert {"200", "400", "401", "503"} <= set(operation["responses"])
