"""Back-office lists show a kind-made title in the reader's language, from the row already loaded.

An order drafted in Russian is stored with its Russian title; a registrar reading the back office in
Kazakh or English sees the kind's Kazakh or English title in the document list, the search results,
the dashboard's "waiting for me" and the rector's signing queue, and the Russian one nowhere. A
title a person typed is theirs and shows as typed. The pages' query counts stay constant
(tests/records/test_query_counts.py), since the titles are a column of the document row.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from records.kinds.base import get_kind
from records.lifecycle import State
from records.models import Document, Person, Role
from records.services.document import document_create, document_create_registered, document_transition
from search.sync import drain
from tests.conftest import walk_route
from tests.factories import make_person


def _enrolled(staff: dict[str, Any], org: Any) -> Person:
    person = make_person(kind=Person.Kind.STUDENT)
    person.group = org.group
    person.save()
    document_create_registered(
        by=staff[Role.DEAN],
        kind="student_order_enrollment",
        org_unit=org.faculty,
        title="",
        data={
            "student_iin": person.iin,
            "effective_date": "2024-09-01",
            "programme_code": org.programme.code,
            "group_code": org.group.code,
            "year_of_study": 1,
            "funding": "state_grant",
        },
        subject=person,
    )
    return person


def _leave(staff: dict[str, Any], org: Any, person: Person, title: str = "") -> Document:
    """A leave order drafted by the dean, titled as the form proposes (the kind's Russian title)."""
    data = {
        "student_iin": person.iin,
        "effective_date": "2025-02-01",
        "leave_grounds": "illness",
        "end_date": "2026-02-01",
        "grounds": "Заявление",
    }
    kind = get_kind("student_order_academic_leave")
    return document_create(
        by=staff[Role.DEAN],
        kind=kind.code,
        org_unit=org.faculty,
        title=title or kind.make_title(kind.validate(data), "ru"),
        data=data,
    )


def _page(client: Any, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_kind_made_title_is_kept_in_three_languages_and_a_typed_one_as_typed(
    staff: dict[str, Any], org: Any
) -> None:
    person = _enrolled(staff, org)
    made = _leave(staff, org, person)
    kind = get_kind("student_order_academic_leave")
    version = made.current_version
    assert version is not None
    assert made.title == kind.make_title(version.data, "ru")
    assert made.titles == {
        language: kind.make_title(version.data, language) for language in ("kk", "ru", "en")
    }
    assert made.titles["kk"].startswith(kind.names["kk"]) and made.titles["en"].startswith(kind.names["en"])
    typed = _leave(staff, org, _enrolled(staff, org), title="Мой заголовок")
    assert typed.titles == {} and typed.display_title == "Мой заголовок"


@pytest.mark.parametrize("language", ["kk", "en"])
def test_lists_search_dashboard_and_signing_queue_show_the_readers_language(
    client: Any, staff: dict[str, Any], org: Any, language: str
) -> None:
    person = _enrolled(staff, org)
    enrollment = Document.objects.get(kind="student_order_enrollment", subject=person)
    waiting = _leave(staff, org, person)
    document_transition(document=waiting, by=staff[Role.DEAN], name="submit")
    signing = walk_route(
        staff, _leave(staff, org, _enrolled(staff, org)), approver=Role.REGISTRAR, until=State.SIGNING
    )
    drain()
    for document in (enrollment, waiting, signing):
        document.refresh_from_db()
        assert document.titles[language] != document.title

    client.force_login(staff[Role.REGISTRAR])
    pages = {
        "list": _page(client, "/admin/registry/documents/", language),
        "search": _page(client, "/admin/search/?q=" + person.last_name_ru, language),
        "dashboard": _page(client, "/admin/", language),
    }
    client.force_login(staff[Role.RECTOR])
    pages["signing"] = _page(client, "/admin/signing/", language)
    expected = {"list": enrollment, "search": enrollment, "dashboard": waiting, "signing": signing}
    for page, document in expected.items():
        html = pages[page]
        assert document.titles[language] in html, page
        assert document.title not in html, page


@pytest.mark.parametrize("language", ["kk", "en"])
def test_the_csv_export_writes_the_readers_title(
    client: Any, staff: dict[str, Any], org: Any, language: str
) -> None:
    """The exported list says what the list on the page says: the kind's title in the reader's language."""
    enrollment = Document.objects.get(kind="student_order_enrollment", subject=_enrolled(staff, org))
    client.force_login(staff[Role.REGISTRAR])
    client.cookies["django_language"] = language
    response = client.post("/admin/registry/documents/export/", {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    assert enrollment.titles[language] in cells and enrollment.title not in cells
