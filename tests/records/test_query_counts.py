"""Every list and page costs the same number of queries whatever the number of rows it shows.

Each test measures a page at a small and a larger size of what it lists and asserts the counts
are equal (django_assert_num_queries with the count measured first), so an N+1 — a query per row,
in a view or evaluated in a template — fails here. The sizes differ by an order of magnitude.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.lifecycle import State
from records.models import ApiToken, Document, Person, Role, Signature, Student
from records.services.document import document_create, document_transition
from search.sync import drain
from tests.records.admin.test_list import bulk_documents
from tests.records.api.conftest import TokenClient
from tests.records.drafts import Side, _scholarship, _student

DATA = {"subject": "Об учебном графике", "body": "Утвердить график.", "executor": "Регистратор"}


def count_queries(get: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200, response.status_code
    return len(queries.captured_queries), response


def assert_constant(
    get: Callable[[], Any], grow: Callable[[], None], django_assert_num_queries: Any
) -> tuple[Any, Any]:
    """The page's queries before and after `grow()` adds rows: the same number."""
    get()  # warm what a first visit creates (Wagtail's user profile, the session in the cache)
    small, first = count_queries(get)
    grow()
    with django_assert_num_queries(small):
        second = get()
    assert second.status_code == 200
    return first, second


def drafts(staff: dict[str, Any], org: Any, count: int, by: str = Role.DEAN) -> list[Document]:
    return [
        document_create(
            by=staff[by], kind="internal_order", org_unit=org.faculty, title=f"Приказ {i}", data=DATA
        )
        for i in range(count)
    ]


def test_dashboard_queries_do_not_grow_with_the_waiting_documents(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    for document in drafts(staff, org, 2):
        document_transition(document=document, by=staff[Role.DEAN], name="submit")
    client.force_login(staff[Role.RECTOR])

    def grow() -> None:
        for document in drafts(staff, org, 20):
            document_transition(document=document, by=staff[Role.DEAN], name="submit")

    _first, second = assert_constant(lambda: client.get("/admin/"), grow, django_assert_num_queries)
    assert "Приказ 19" in second.content.decode()


def test_document_list_queries_do_not_grow_with_the_rows(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    bulk_documents(staff, org, 3)
    client.force_login(staff[Role.REGISTRAR])
    first, second = assert_constant(
        lambda: client.get("/admin/registry/documents/"),
        lambda: bulk_documents(staff, org, 40),
        django_assert_num_queries,
    )
    assert len(first.context["rows"]) == 3 and len(second.context["rows"]) == 43


def test_document_page_queries_do_not_grow_with_versions_and_events(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    document = drafts(staff, org, 1)[0]
    client.force_login(staff[Role.DEAN])
    url = f"/admin/registry/documents/{document.pk}/"

    def grow() -> None:
        nonlocal document
        for _round in range(4):  # each round: a new draft version and more audit events
            document = document_transition(document=document, by=staff[Role.DEAN], name="submit")
            document = document_transition(
                document=document, by=staff[Role.RECTOR], name="reject", reason="Исправить"
            )

    first, second = assert_constant(lambda: client.get(url), grow, django_assert_num_queries)
    assert len(second.context["trail"]) >= len(first.context["trail"]) + 8


def test_search_page_queries_do_not_grow_with_the_hits(
    client: Any,
    staff: dict[str, Any],
    org: Any,
    django_assert_num_queries: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.RECTORATE_SEARCH_BACKEND = "tantivy"
    settings.RECTORATE_SEARCH_INDEX_DIR = tmp_path / "index"
    drafts(staff, org, 2)
    assert drain().ok
    client.force_login(staff[Role.DEAN])

    def grow() -> None:
        drafts(staff, org, 25)
        assert drain().ok

    first, second = assert_constant(
        lambda: client.get("/admin/search/", {"q": "графике"}), grow, django_assert_num_queries
    )
    assert len(second.context["results"].hits) > len(first.context["results"].hits)


def test_portal_queries_do_not_grow_with_the_students_documents(
    client: Any, users: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    from records.projections.bulk import document_register_directly

    student_user = users[Role.STUDENT]
    person = Person.objects.get(user=student_user)
    Student.objects.get_or_create(
        person=person, defaults={"status": "enrolled", "programme": org.programme, "group": org.group}
    )
    client.force_login(student_user)

    def documents(count: int) -> None:
        for i in range(count):
            document_register_directly(
                by=users[Role.REGISTRAR],
                kind="internal_order",
                org_unit=org.faculty,
                title=f"Справка {i}",
                data=DATA,
                subject=person,
            )

    documents(1)
    first, second = assert_constant(
        lambda: client.get("/portal/"), lambda: documents(12), django_assert_num_queries
    )
    assert len(second.context["documents"]) == len(first.context["documents"]) + 12


def test_public_verification_page_queries_do_not_grow_with_the_signatures(
    client: Any, users: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    from records.projections.bulk import document_register_directly

    document = document_register_directly(
        by=users[Role.REGISTRAR], kind="internal_order", org_unit=org.faculty, title="Приказ", data=DATA
    )
    assert document.state == State.REGISTERED

    made = 0

    def signatures(count: int) -> None:
        nonlocal made
        for i in range(made, made + count):
            Signature.objects.create(
                document=document,
                version=document.current_version,
                role=Role.REGISTRAR,
                signer=users[Role.REGISTRAR],
                step=str(i),
                revision=i + 1,
                signer_name=f"Подписант {i}",
                certificate_sha256=f"{i:064x}",
                signed_at=document.registered_at,
                pdf_blob_id=None,
            )
        made += count

    signatures(1)
    url = f"/verify/{document.verification_code}/"
    _first, second = assert_constant(
        lambda: client.get(url), lambda: signatures(6), django_assert_num_queries
    )
    assert len(second.context["result"].signers) == 7


def _versions_and_events(staff: dict[str, Any], document: Document, rounds: int) -> Document:
    """Each round: submitted and sent back, so one more draft version and two more audit events."""
    for _round in range(rounds):
        document = document_transition(document=document, by=staff[Role.DEAN], name="submit")
        document = document_transition(document=document, by=staff[Role.RECTOR], name="reject", reason="Ещё")
    return document


@pytest.mark.parametrize("suffix", ["", "/versions", "/audit", "/transitions"])
def test_api_document_detail_queries_do_not_grow_with_versions_and_events(
    staff: dict[str, Any], org: Any, django_assert_num_queries: Any, suffix: str
) -> None:
    """The API's document, its versions, its trail and its transitions: a fixed number of queries."""
    document = _versions_and_events(staff, drafts(staff, org, 1)[0], 1)
    _token, secret = ApiToken.issue(user=staff[Role.DEAN], name="query counts")
    api = TokenClient(secret)
    url = f"/api/v1/documents/{document.pk}{suffix}"

    first, second = assert_constant(
        lambda: api.get(url), lambda: _versions_and_events(staff, document, 4), django_assert_num_queries
    )
    if suffix in ("/versions", "/audit"):  # lists that grew with the rounds
        assert len(second.json()) >= len(first.json()) + 4


def test_api_search_queries_do_not_grow_with_the_hits(
    staff: dict[str, Any], org: Any, django_assert_num_queries: Any, settings: Any, tmp_path: Path
) -> None:
    settings.RECTORATE_SEARCH_BACKEND = "tantivy"
    settings.RECTORATE_SEARCH_INDEX_DIR = tmp_path / "index"
    drafts(staff, org, 2)
    assert drain().ok
    _token, secret = ApiToken.issue(user=staff[Role.DEAN], name="query counts")
    api = TokenClient(secret)

    def grow() -> None:
        drafts(staff, org, 25)
        assert drain().ok

    first, second = assert_constant(
        lambda: api.get("/api/v1/search", q="графике", size=50), grow, django_assert_num_queries
    )
    assert len(first.json()["hits"]) == 2 and len(second.json()["hits"]) == 27


def test_scholarship_orders_page_queries_do_not_grow_with_the_orders(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    side = Side(org.group, org.faculty)

    def orders(count: int) -> None:
        for _i in range(count):
            person = _student(staff, side)
            document_create(
                by=staff[Role.REGISTRAR],
                kind="scholarship_order",
                org_unit=org.faculty,
                title="Стипендия",
                data=_scholarship(person, side, org.faculty.code),
            )

    orders(1)
    client.force_login(staff[Role.REGISTRAR])
    first, second = assert_constant(
        lambda: client.get("/admin/scholarship/"), lambda: orders(8), django_assert_num_queries
    )
    assert len(first.context["rows"]) == 1 and len(second.context["rows"]) == 9
