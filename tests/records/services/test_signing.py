"""Signing by route: the right official signs with their key, the last signature registers."""

from __future__ import annotations

from typing import Any

import pytest

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.errors import RecordsError
from records.lifecycle import State
from records.models import AuditEvent, Role, Signature
from records.selectors.document import document_current_pdf
from records.services.document import document_create
from records.services.signature import document_sign, documents_sign_batch
from signing import api as signing_api
from tests.conftest import walk_route

DATA = {"subject": "Подписание", "body": "Текст приказа для подписи."}


@pytest.fixture
def signing_doc(users: dict[str, Any], org: Any) -> Any:
    bootstrap_pki(usernames={users[Role.RECTOR].username, users[Role.DEAN].username})
    doc = document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="П", data=DATA
    )
    return walk_route(users, doc, approver=Role.RECTOR, until=State.SIGNING)


def test_the_last_signature_registers_and_the_pdf_verifies(users: dict[str, Any], signing_doc: Any) -> None:
    rector = users[Role.RECTOR]
    signature = document_sign(document=signing_doc, by=rector, passphrase=demo_passphrase(rector.username))
    signing_doc.refresh_from_db()
    assert signing_doc.state == State.REGISTERED
    assert signature.step == "rector" and len(signature.certificate_sha256) == 64
    report = signing_api.verify(document_current_pdf(signing_doc))
    assert report.ok, report.to_dict()
    actions = list(AuditEvent.objects.filter(document=signing_doc).values_list("action", flat=True))
    assert actions[-2:] == ["document.sign", "document.register"]


def test_a_wrong_passphrase_is_refused_and_nothing_is_recorded(
    users: dict[str, Any], signing_doc: Any
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RecordsError) as exc:
        document_sign(document=signing_doc, by=users[Role.RECTOR], passphrase="wrong")
    assert "passphrase" in exc.value.message.lower()
    assert Signature.objects.count() == 0
    assert AuditEvent.objects.count() == before
    signing_doc.refresh_from_db()
    assert signing_doc.state == State.SIGNING


def test_an_official_without_the_steps_role_cannot_sign(users: dict[str, Any], signing_doc: Any) -> None:
    dean = users[Role.DEAN]
    with pytest.raises(RecordsError) as exc:
        document_sign(document=signing_doc, by=dean, passphrase=demo_passphrase(dean.username))
    assert exc.value.code == "not_your_step"


def test_batch_signing_with_one_passphrase(users: dict[str, Any], org: Any, signing_doc: Any) -> None:
    docs = [signing_doc]
    for i in range(2):
        doc = document_create(
            by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title=f"Б{i}", data=DATA
        )
        docs.append(walk_route(users, doc, approver=Role.RECTOR, until=State.SIGNING))
    seen: list[tuple[int, int]] = []
    rector = users[Role.RECTOR]
    report = documents_sign_batch(
        documents=docs,
        by=rector,
        passphrase=demo_passphrase(rector.username),
        progress=lambda i, n: seen.append((i, n)),
    )
    assert sorted(report.signed) == sorted(d.pk for d in docs) and not report.failed
    assert seen[-1] == (3, 3)
    assert all(type(d).objects.get(pk=d.pk).state == State.REGISTERED for d in docs)
