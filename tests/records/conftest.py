"""Fixtures of the registry tests: a document signed through its route and registered."""

from __future__ import annotations

from typing import Any

import pytest

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.models import Document, Role
from records.services.document import document_create, document_transition
from records.services.signature import document_sign


@pytest.fixture
def registered_doc(users: dict[str, Any], org: Any) -> Document:
    """An internal order of the faculty, rendered, signed by the rector and registered."""
    rector = users[Role.RECTOR]
    bootstrap_pki(usernames={rector.username})
    data = {"subject": "Проверяемый приказ", "body": "Текст для проверки подписи."}
    doc = document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="Приказ", data=data
    )
    for name, who in (("submit", Role.DEAN), ("approve", Role.RECTOR), ("start_signing", Role.REGISTRAR)):
        doc = document_transition(document=doc, by=users[who], name=name)
    document_sign(document=doc, by=rector, passphrase=demo_passphrase(rector.username))
    doc.refresh_from_db()
    return doc
