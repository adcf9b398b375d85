"""Fixtures of the signing back-office tests: documents waiting for the rector's signature."""

from __future__ import annotations

from typing import Any

import pytest

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.models import Document, Role
from records.services.document import document_transition
from tests.records.admin.conftest import make_draft, staff  # noqa: F401 - the fixture


def waiting_for_rector(users: dict[str, Any], org: Any, title: str = "Приказ") -> Document:
    """An internal order submitted, approved and put into signing: the rector's step is next."""
    doc = make_draft(users, org, title=title)
    for name, who in (("submit", Role.DEAN), ("approve", Role.RECTOR), ("start_signing", Role.REGISTRAR)):
        doc = document_transition(document=doc, by=users[who], name=name)
    return doc


@pytest.fixture
def rector_key(users: dict[str, Any]) -> str:
    """The local PKI with the rector's key; returns the rector's passphrase."""
    rector = users[Role.RECTOR]
    bootstrap_pki(usernames={rector.username})
    return demo_passphrase(rector.username)
