"""Helpers of the API tests: clients authenticated by token or by session, and drafts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from records.models import ApiToken, Document, Role
from records.services.document import document_create

DATA = {"subject": "Об учебном графике", "body": "Утвердить график.", "executor": "Регистратор"}


class TokenClient:
    """A Django test client that sends `Authorization: Bearer <key>` and JSON bodies."""

    def __init__(self, key: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, body: Any = None, *, raw: str | bytes | None = None) -> Any:
        content = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.post(url, content, content_type="application/json", headers=self.headers)

    def patch(self, url: str, body: Any = None, *, raw: str | bytes | None = None) -> Any:
        content = raw if raw is not None else json.dumps(body)
        return self.client.patch(url, content, content_type="application/json", headers=self.headers)


@pytest.fixture
def api(users: dict[str, Any]) -> Callable[[str], TokenClient]:
    """`api(role)`: a token client acting as the user of that role."""
    clients: dict[str, TokenClient] = {}

    def make(role: str) -> TokenClient:
        if role not in clients:
            _token, key = ApiToken.issue(user=users[role], name=f"tests {role}")
            clients[role] = TokenClient(key)
        return clients[role]

    return make


@pytest.fixture
def draft(users: dict[str, Any], org: Any) -> Document:
    """An internal order drafted by the dean of the faculty."""
    return document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="Приказ о графике", data=DATA
    )
