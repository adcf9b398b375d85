"""The document list: filters, search, pagination, sorting, a query count independent of page size."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from records.lifecycle import State
from records.models import Document, Role
from tests.records.admin.conftest import events_after, last_event_id, make_draft

URL = "/admin/registry/documents/"
# user, org units (filter choices), count, page, and the audit chain head (the key of the cached list
# and page, records/admin/fragments.py and pagecache.py), plus one: the same at any page size. These
# are a first visit of the list (nothing of it cached); the Wagtail profile, the 2 permission lookups
# and the roles come from the per-user cache the test's first request built (records/selectors/
# viewer.py), the sidebar from its own (records.admin.sidebar), the session from the cache (cached_db).
QUERIES = 6


def bulk_documents(users: dict[str, Any], org: Any, count: int, **fields: Any) -> list[Document]:
    """Many faculty documents at once (list tests need rows, not their history)."""
    base = timezone.now()
    rows = [
        Document(
            kind="internal_order",
            title=f"Приказ {i:03d}",
            org_unit=org.faculty,
            org_path=org.faculty.path,
            created_by=users[Role.DEAN],
            **fields,
        )
        for i in range(count)
    ]
    created = Document.objects.bulk_create(rows)
    for i, document in enumerate(created):
        Document.objects.filter(pk=document.pk).update(created_at=base - dt.timedelta(minutes=i))
    return created


def test_reverse_names_the_documents_url() -> None:
    assert reverse("records_admin:documents") == URL


def test_a_user_without_admin_access_is_sent_to_login_and_nothing_is_recorded(
    client: Any, users: dict[str, Any], org: Any
) -> None:
    make_draft(users, org)
    before = last_event_id()
    client.force_login(users[Role.REGISTRAR])
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert events_after(before) == []


def test_a_student_with_admin_access_gets_403(client: Any, staff: dict[str, Any], org: Any) -> None:
    before = last_event_id()
    client.force_login(staff[Role.STUDENT])
    response = client.get(URL)
    assert response.status_code == 403
    assert events_after(before) == []


def test_the_registrar_sees_documents_and_listing_writes_no_events(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = make_draft(staff, org, title="Приказ о графике")
    before = last_event_id()
    client.force_login(staff[Role.REGISTRAR])
    response = client.get(URL)
    assert response.status_code == 200
    assert "Приказ о графике" in response.content.decode()
    assert f'href="/admin/registry/documents/{doc.pk}/"' in response.content.decode()
    assert events_after(before) == []


def test_a_dean_sees_only_their_faculty(client: Any, staff: dict[str, Any], org: Any) -> None:
    make_draft(staff, org, title="Приказ факультета ИТ")
    client.force_login(staff["other_dean"])
    body = client.get(URL).content.decode()
    assert "Приказ факультета ИТ" not in body


def test_filters_and_search_narrow_the_list(client: Any, staff: dict[str, Any], org: Any) -> None:
    make_draft(staff, org, title="Приказ об отпуске")
    make_draft(staff, org, title="Приказ о графике")
    client.force_login(staff[Role.REGISTRAR])
    body = client.get(URL, {"q": "отпуск"}).content.decode()
    assert "Приказ об отпуске" in body and "Приказ о графике" not in body
    body = client.get(URL, {"state": State.REVIEW}).content.decode()
    assert "Приказ об отпуске" not in body
    body = client.get(
        URL, {"kind": "internal_order", "org_unit": org.faculty.pk, "year": timezone.now().year}
    )
    assert "Приказ о графике" in body.content.decode()
    body = client.get(URL, {"org_unit": org.other_faculty.pk}).content.decode()
    assert "Приказ о графике" not in body


def test_bad_filter_values_are_reported_not_a_500(client: Any, staff: dict[str, Any], org: Any) -> None:
    make_draft(staff, org, title="Приказ о графике")
    client.force_login(staff[Role.REGISTRAR])
    response = client.get(URL, {"year": "abc", "state": "nonsense", "org_unit": "x", "ordering": "evil"})
    assert response.status_code == 200
    assert "Приказ о графике" in response.content.decode()  # the bad filters are ignored


@pytest.mark.parametrize("page", ["999", "-1", "abc", "0"])
def test_an_invalid_page_shows_the_first_or_last_page(
    client: Any, staff: dict[str, Any], org: Any, page: str
) -> None:
    bulk_documents(staff, org, 12)
    client.force_login(staff[Role.REGISTRAR])
    response = client.get(URL, {"per_page": "10", "p": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number in (1, 2)


def test_pages_hold_fifty_and_sorting_by_date_reverses_them(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    bulk_documents(staff, org, 55)
    client.force_login(staff[Role.REGISTRAR])
    newest_first = client.get(URL).context["rows"]
    assert len(newest_first) == 50
    assert newest_first[0].document.title == "Приказ 000"
    oldest_first = client.get(URL, {"ordering": "created_at"}).context["rows"]
    assert oldest_first[0].document.title == "Приказ 054"
    second = client.get(URL, {"p": "2"}).context["rows"]
    assert [r.document.title for r in second] == [
        "Приказ 050",
        "Приказ 051",
        "Приказ 052",
        "Приказ 053",
        "Приказ 054",
    ]


def test_the_query_count_does_not_grow_with_the_page_size(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    bulk_documents(staff, org, 60)
    client.force_login(staff[Role.REGISTRAR])
    client.get(URL)  # first admin request creates the user's Wagtail profile
    with django_assert_num_queries(QUERIES) as small:
        response = client.get(URL, {"per_page": "10"})
    assert len(response.context["rows"]) == 10
    with django_assert_num_queries(QUERIES) as large:
        response = client.get(URL, {"per_page": "50"})
    assert len(response.context["rows"]) == 50
    assert len(small.captured_queries) == len(large.captured_queries)
