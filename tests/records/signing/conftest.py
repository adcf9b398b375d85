"""Fixtures of the signing back-office tests: documents waiting for the rector's signature."""

from __future__ import annotations

from typing import Any

import pytest

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.lifecycle import State
from records.models import Document, Role
from tests.conftest import walk_route
from tests.records.admin.conftest import make_draft


def waiting_for_rector(users: dict[str, Any], org: Any, title: str = "Приказ") -> Document:
    """An internal order submitted, approved and put into signing: the rector's step is next."""
    return walk_route(users, make_draft(users, org, title=title), approver=Role.RECTOR, until=State.SIGNING)


@pytest.fixture
def rector_key(users: dict[str, Any]) -> str:
    """The local PKI with the rector's key; returns the rector's passphrase."""
    rector = users[Role.RECTOR]
    bootstrap_pki(usernames={rector.username})
    return demo_passphrase(rector.username)
