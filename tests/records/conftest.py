"""Fixtures of the registry tests: a document signed through its route and registered."""

from __future__ import annotations

from typing import Any

import pytest

from records.models import Document, Role
from records.services.document import document_create
from tests.conftest import walk_route


@pytest.fixture
def registered_doc(users: dict[str, Any], org: Any) -> Document:
    """An internal order of the faculty, rendered, signed by the rector and registered."""
    data = {"subject": "Проверяемый приказ", "body": "Текст для проверки подписи."}
    doc = document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="Приказ", data=data
    )
    return walk_route(users, doc, approver=Role.RECTOR)
