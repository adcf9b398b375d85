"""A stored PDF whose bytes no longer match their hash (or are gone) gives a clear message, never a 500."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from records.models import Document, Person, Role, Signature
from records.models.blob import blob_path, blob_storage

CORRUPT = "is corrupt: its content does not match its hash"


def _blob_file(document: Document) -> Path:
    signature = (
        Signature.objects.filter(document=document).exclude(pdf_blob=None).order_by("-revision").first()
    )
    assert signature is not None and signature.pdf_blob_id
    return Path(blob_storage().path(blob_path(signature.pdf_blob_id)))


def corrupt(document: Document) -> None:
    """Flip bytes in the middle of the stored signed PDF (what a failing disk or an intruder does)."""
    path = _blob_file(document)
    content = bytearray(path.read_bytes())
    content[len(content) // 2 : len(content) // 2 + 16] = b"X" * 16
    path.write_bytes(bytes(content))


def test_the_validation_report_says_the_stored_file_is_corrupt(
    client: Client, staff: dict[str, Any], registered_doc: Document
) -> None:
    corrupt(registered_doc)
    client.force_login(staff[Role.AUDITOR])
    response = client.get(f"/admin/signing/documents/{registered_doc.pk}/verification/")
    assert response.status_code == 200
    assert CORRUPT in response.content.decode()


def test_the_report_in_russian_is_translated(
    client: Client, staff: dict[str, Any], registered_doc: Document
) -> None:
    corrupt(registered_doc)
    client.force_login(staff[Role.AUDITOR])
    response = client.get(
        f"/admin/signing/documents/{registered_doc.pk}/verification/", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    with translation.override("ru"):
        expected = translation.gettext("Stored file %(sha)s is corrupt: its content does not match its hash.")
    assert expected != "Stored file %(sha)s is corrupt: its content does not match its hash."
    assert expected.split("%(sha)s")[0].strip() in response.content.decode()


def test_the_json_report_names_the_problem(
    client: Client, staff: dict[str, Any], registered_doc: Document
) -> None:
    corrupt(registered_doc)
    client.force_login(staff[Role.AUDITOR])
    response = client.get(f"/admin/signing/documents/{registered_doc.pk}/verification/json/")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["report"] is None and CORRUPT in data["problem"]


def test_the_xml_report_redirects_with_the_message(
    client: Client, staff: dict[str, Any], registered_doc: Document
) -> None:
    corrupt(registered_doc)
    client.force_login(staff[Role.AUDITOR])
    response = client.get(f"/admin/signing/documents/{registered_doc.pk}/verification/xml/", follow=True)
    assert response.status_code == 200
    assert CORRUPT in response.content.decode()


def test_the_ltv_page_flags_the_document_and_shows_the_others(
    client: Client, staff: dict[str, Any], registered_doc: Document
) -> None:
    corrupt(registered_doc)
    client.force_login(staff[Role.AUDITOR])
    response = client.get("/admin/signing/ltv/")
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["document"] == registered_doc and CORRUPT in row["problem"]


def test_a_missing_file_is_named_too(client: Client, staff: dict[str, Any], registered_doc: Document) -> None:
    _blob_file(registered_doc).unlink()
    client.force_login(staff[Role.AUDITOR])
    response = client.get(f"/admin/signing/documents/{registered_doc.pk}/verification/")
    assert response.status_code == 200
    assert "is missing from the file store" in response.content.decode()
    assert client.get("/admin/signing/ltv/").status_code == 200


@pytest.fixture
def certificate(users: dict[str, Any], org: Any) -> Document:
    """A sealed certificate of study the student asked for in the portal."""
    from records.demo.pki import bootstrap_pki
    from records.models import Student

    bootstrap_pki(usernames=set())
    person = Person.objects.get(user=users[Role.STUDENT])
    Student.objects.create(
        person=person,
        programme=org.programme,
        group=org.group,
        year_of_study=2,
        funding="state_grant",
        status="enrolled",
        status_since=dt.date(2024, 9, 1),
    )
    client = Client()
    client.force_login(users[Role.STUDENT])
    client.post("/portal/certificates/", {"purpose": "military", "language": "ru"})
    return Document.objects.get(kind="student_certificate")


def test_the_portal_download_of_a_corrupted_pdf_says_so(
    client: Client, users: dict[str, Any], certificate: Document
) -> None:
    corrupt(certificate)
    client.force_login(users[Role.STUDENT])
    response = client.get(f"/portal/documents/{certificate.pk}/pdf/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith("/portal/")
    assert CORRUPT in response.content.decode()
