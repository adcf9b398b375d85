"""Signing one document from its "Sign" page: right passphrase registers, anything else changes nothing."""

from __future__ import annotations

from typing import Any

from records.lifecycle import State
from records.models import Role, Signature
from tests.records.admin.conftest import events_after, last_event_id
from tests.records.signing.conftest import waiting_for_rector


def sign_url(doc: Any) -> str:
    return f"/admin/signing/documents/{doc.pk}/sign/"


def test_the_last_signature_through_the_page_registers_the_document(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    doc = waiting_for_rector(staff, org)
    client.force_login(staff[Role.RECTOR])
    page = client.get(sign_url(doc))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="password"' in html and 'autocomplete="off"' in html
    assert f"/admin/registry/documents/{doc.pk}/versions/" in html  # the PDF being signed
    before = last_event_id()
    response = client.post(sign_url(doc), {"passphrase": rector_key})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/registry/documents/{doc.pk}/"
    doc.refresh_from_db()
    assert doc.state == State.REGISTERED
    assert doc.registry_number
    assert events_after(before)[:2] == ["document.sign", "document.register"]
    assert Signature.objects.filter(document=doc, step="rector", signer=staff[Role.RECTOR]).count() == 1


def test_a_wrong_passphrase_is_refused_with_a_message_and_changes_nothing(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    doc = waiting_for_rector(staff, org)
    client.force_login(staff[Role.RECTOR])
    before = last_event_id()
    response = client.post(sign_url(doc), {"passphrase": "not-" + rector_key})
    assert response.status_code == 200
    assert "passphrase is wrong" in response.content.decode()
    doc.refresh_from_db()
    assert doc.state == State.SIGNING
    assert not Signature.objects.filter(document=doc).exists()
    assert "document.sign" not in events_after(before)


def test_an_empty_passphrase_is_refused(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    doc = waiting_for_rector(staff, org)
    client.force_login(staff[Role.RECTOR])
    response = client.post(sign_url(doc), {"passphrase": ""})
    assert response.status_code == 200
    assert not Signature.objects.filter(document=doc).exists()


def test_an_official_without_the_steps_role_gets_403_and_nothing_is_recorded(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    """The dean sees the order but the rector's step is not theirs; another faculty's dean cannot see it."""
    doc = waiting_for_rector(staff, org)
    before = last_event_id()
    client.force_login(staff[Role.DEAN])
    assert client.get(sign_url(doc)).status_code == 403
    assert client.post(sign_url(doc), {"passphrase": "sign-dean"}).status_code == 403
    client.force_login(staff["other_dean"])
    assert client.get(sign_url(doc)).status_code == 404
    assert client.post(sign_url(doc), {"passphrase": "sign-other_dean"}).status_code == 404
    assert events_after(before) == []
    assert not Signature.objects.filter(document=doc).exists()


def test_a_registered_document_has_no_sign_page(
    client: Any, staff: dict[str, Any], registered_doc: Any
) -> None:
    client.force_login(staff[Role.RECTOR])
    assert client.get(sign_url(registered_doc)).status_code == 403


def test_the_document_page_links_to_the_sign_page_while_signing(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    doc = waiting_for_rector(staff, org)
    client.force_login(staff[Role.RECTOR])
    assert sign_url(doc) in client.get(f"/admin/registry/documents/{doc.pk}/").content.decode()


def test_a_revoked_certificate_is_refused_with_a_message_and_changes_nothing(
    client: Any, staff: dict[str, Any], org: Any, settings: Any, tmp_path: Any
) -> None:
    """A PKI of this test only, so revoking the rector's certificate touches no other test."""
    from records.demo.pki import bootstrap_pki, demo_passphrase
    from signing import pki

    settings.RECTORATE_PKI_DIR = tmp_path / "pki"
    rector = staff[Role.RECTOR]
    bootstrap_pki(usernames={rector.username})
    pki.revoke_certificate(settings.RECTORATE_PKI_DIR, rector.username)
    doc = waiting_for_rector(staff, org)
    client.force_login(rector)
    before = last_event_id()
    response = client.post(sign_url(doc), {"passphrase": demo_passphrase(rector.username)})
    assert response.status_code == 200
    assert "revoked" in response.content.decode().lower()
    doc.refresh_from_db()
    assert doc.state == State.SIGNING
    assert not Signature.objects.filter(document=doc).exists()
    assert "document.sign" not in events_after(before)
