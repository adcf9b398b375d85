"""Fixtures of the search tests: a fresh index per test, a small registry, clients and audit helpers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from records.models import ApiToken, Document, Role
from records.services.document import document_create
from search.sync import drain
from tests.engines import configured_search_backend, search_backend_names
from tests.records.admin.conftest import (  # noqa: F401 - re-exported to the search tests
    events_after,
    last_event_id,
    last_read_id,
    reads_after,
)

PAGE = "/admin/search/"
EXPORT = "/admin/search/export/"
API = "/api/v1/search"


@pytest.fixture(autouse=True, params=search_backend_names())
def fresh_index(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Iterator[str]:
    """Each test searches its own empty index (ids restart with every test database), on every real
    backend: tantivy, and the Elasticsearch node when configured or required (tests/engines.py)."""
    with configured_search_backend(request.param, settings, tmp_path) as name:
        yield name


def draft(users: dict[str, Any], by: str, unit: Any, title: str, text: str) -> Document:
    """A draft internal order through the service (visible to its creator and to scoped staff)."""
    data = {"subject": title, "body": text, "executor": "Офис регистратора"}
    return document_create(by=users[by], kind="internal_order", org_unit=unit, title=title, data=data)


@dataclass
class Corpus:
    """Three drafts in three places of the org tree, indexed."""

    faculty: Document  # by the dean, in the faculty
    department: Document  # by the teacher, in the faculty's department
    law: Document  # by the other faculty's dean


@pytest.fixture
def corpus(staff: dict[str, Any], org: Any) -> Corpus:
    """Drafts mentioning Қазақстандағы in the faculty, its department and the other faculty; drained."""
    result = Corpus(
        faculty=draft(
            staff, Role.DEAN, org.faculty, "Приказ о практике", "Практика в Қазақстандағы компаниях."
        ),
        department=draft(
            staff,
            Role.TEACHER,
            org.department,
            "Ведомость кафедры",
            "Оқу жоспары Қазақстандағы университетте.",
        ),
        law=draft(staff, "other_dean", org.other_faculty, "Юридический приказ", "Қазақстандағы құқық."),
    )
    assert drain().ok
    return result


def login(user: Any) -> Client:
    """A session client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def token_client(user: Any) -> tuple[Client, dict[str, str]]:
    """A client and the bearer header of a fresh API token of `user`."""
    _token, key = ApiToken.issue(user=user, name="search tests")
    return Client(), {"Authorization": f"Bearer {key}"}


def api_get(user: Any, **params: Any) -> Any:
    """GET /api/v1/search as `user` (by token)."""
    client, headers = token_client(user)
    return client.get(API, params, headers=headers)
