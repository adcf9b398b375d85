"""The registry feeds the index through the outbox, and search applies the caller's scope inside the query."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from records.models import Role
from records.search_projection import scope_for
from records.services.document import document_create
from search.backends import get_backend
from search.backends.base import SearchQuery
from search.models import OutboxEntry
from search.sync import drain
from tests.engines import configured_search_backend, search_backend_names


@pytest.fixture(autouse=True, params=search_backend_names())
def search_index(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Iterator[str]:
    """A fresh index on every real backend (tantivy; the Elasticsearch node when configured)."""
    with configured_search_backend(request.param, settings, tmp_path) as name:
        yield name


DATA = {"subject": "Студенттердің практикасы туралы", "body": "Қазақстандағы өндірістік практика."}


def _search(user: Any, text: str) -> set[str]:
    results = get_backend().search(SearchQuery(text=text, scope=scope_for(user), facets=["kind"]))
    return {hit.id for hit in results.hits}


def test_a_change_writes_an_outbox_row_in_its_transaction_and_drain_indexes_it(
    users: dict[str, Any], org: Any
) -> None:
    doc = document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="Практика", data=DATA
    )
    assert OutboxEntry.objects.filter(document_id=str(doc.pk)).exists()
    report = drain()
    assert report.ok and report.indexed >= 1
    assert not OutboxEntry.objects.exists()
    assert str(doc.pk) in _search(users[Role.ARCHIVIST], "ҚАЗАҚСТАН")
    assert str(doc.pk) in _search(users[Role.DEAN], "студент")
    # Another faculty's dean and a student find nothing: the scope is inside the query.
    assert _search(users["other_dean"], "студент") == set()
    assert _search(users[Role.STUDENT], "студент") == set()


def test_people_named_in_a_versions_data_are_indexed_in_every_spelling(db: Any) -> None:
    """A grade statement names its students only in its lines: they must reach the names field.

    Before, only the document's subject was projected, so a Latin surname missed every statement.
    """
    from records.search_projection import named_people
    from tests.factories import make_person

    student = make_person(
        last_name_kk="Жұмабеков",
        first_name_kk="Ерлан",
        last_name_ru="Жумабеков",
        first_name_ru="Ерлан",
        last_name_en="Zhumabekov",
        first_name_en="Yerlan",
    )
    data = {
        "discipline_name": "Информатика",
        "examiner": "Ахметов А. А.",
        "lines": [{"student_iin": student.iin, "student_name": "Жумабеков Ерлан", "exam": "90"}],
        "full_name": {"kk": "Әбенова Дана", "en": "Abenova Dana"},
    }
    assert named_people(data) == sorted(
        {
            "Жұмабеков Ерлан",
            "Жумабеков Ерлан",
            "Zhumabekov Yerlan",
            "Ахметов А. А.",
            "Әбенова Дана",
            "Abenova Dana",
        }
    )
    assert "Информатика" not in named_people(data)
