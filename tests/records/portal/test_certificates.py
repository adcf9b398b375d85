"""A student requests a certificate of study in the portal: sealed, registered, verifiable, theirs only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from doctemplates.morphology_kk import kk_case
from doctemplates.morphology_ru import decline_full_name
from records.models import AuditEvent, Document, Person, Role
from records.selectors.document import document_current_pdf
from signing import api as signing_api
from tests.factories import make_person


@pytest.fixture
def student_record(users: dict[str, Any], org: Any) -> Any:
    """The projection row an enrollment order would have produced."""
    from records.demo.pki import bootstrap_pki
    from records.models import Student

    bootstrap_pki(usernames=set())  # the organisation seal comes with the PKI
    person = Person.objects.get(user=users[Role.STUDENT])
    return Student.objects.create(
        person=person,
        programme=org.programme,
        group=org.group,
        year_of_study=2,
        funding="state_grant",
        status="enrolled",
        status_since=dt.date(2024, 9, 1),
    )


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_student_gets_a_sealed_certificate_in_their_language(
    client: Any, users: dict[str, Any], student_record: Any, language: str
) -> None:
    client.force_login(users[Role.STUDENT])
    response = client.post("/portal/certificates/", {"purpose": "military", "language": language})
    assert response.status_code == 302
    document = Document.objects.get(kind="student_certificate")
    assert document.state == "registered" and document.registry_number.startswith("СП-")
    pdf = document_current_pdf(document)
    report = signing_api.verify(pdf)
    assert report.ok, report.problems
    from doctemplates.provenance import pdf_text

    text = pdf_text(pdf)
    person = student_record.person
    # The sentence names the student as its grammar needs: «выдана Тест1 Алии», «Тест1 Әлияға».
    written = {
        "kk": kk_case(person.full_name("kk"), "dative"),
        "ru": decline_full_name(person.full_name("ru"), "datv", person.sex),
        "en": person.full_name("en"),
    }[language]
    assert written in " ".join(text.split())
    if language == "ru":
        assert "она обучается" in " ".join(text.split()) and "в uni ru" in " ".join(text.split())
    assert AuditEvent.objects.filter(document=document, action="certificate.issue").count() == 1
    download = client.get(f"/portal/documents/{document.pk}/pdf/")
    assert download.status_code == 200 and download.content == pdf


def test_a_graduate_is_told_why_and_nothing_is_issued(
    client: Any, users: dict[str, Any], student_record: Any
) -> None:
    student_record.status = "graduated"
    student_record.save()
    client.force_login(users[Role.STUDENT])
    response = client.post("/portal/certificates/", {"purpose": "employer", "language": "ru"}, follow=True)
    assert "cannot be issued" in response.content.decode()
    assert not Document.objects.filter(kind="student_certificate").exists()


def test_another_student_cannot_download_it(client: Any, users: dict[str, Any], student_record: Any) -> None:
    client.force_login(users[Role.STUDENT])
    client.post("/portal/certificates/", {"purpose": "social", "language": "kk"}, follow=True)
    document = Document.objects.get(kind="student_certificate")
    other = make_person(kind=Person.Kind.STUDENT, username="other_student")
    client.force_login(other.user)
    before = AuditEvent.objects.count()
    assert client.get(f"/portal/documents/{document.pk}/pdf/").status_code == 404
    assert AuditEvent.objects.count() == before
    page = client.get("/portal/")
    assert document.registry_number not in page.content.decode()


def test_the_portal_shows_the_status_the_request_form_and_the_transcript_section(
    client: Any, users: dict[str, Any], student_record: Any
) -> None:
    client.force_login(users[Role.STUDENT])
    body = client.get("/portal/").content.decode()
    assert "Enrolled" in body and student_record.group.code in body
    assert 'name="purpose"' in body and 'name="language"' in body
    assert "No registered grades yet." in body


def test_signing_out_drops_the_previous_users_messages(
    client: Any, users: dict[str, Any], student_record: Any
) -> None:
    client.force_login(users[Role.STUDENT])
    client.post("/portal/certificates/", {"purpose": "military", "language": "en"})
    body = client.get("/portal/").content.decode()
    assert 'action="/admin/logout/"' in body
    client.post("/portal/certificates/", {"purpose": "employer", "language": "en"})  # message left unread
    client.post("/admin/logout/")
    client.force_login(users[Role.REGISTRAR])
    from django.contrib.messages import get_messages

    response = client.get("/portal/")
    assert list(get_messages(response.wsgi_request)) == []


def test_the_student_never_reads_the_audit_trail_of_their_own_certificate(
    client: Any, users: dict[str, Any], student_record: Any
) -> None:
    """The student requested the certificate, so is its author; its trail shows who viewed it, which
    is staff's business only. The registrar (scope: the university) does read it."""
    from records.selectors.document import document_audit_trail

    client.force_login(users[Role.STUDENT])
    client.post("/portal/certificates/", {"purpose": "social", "language": "kk"}, follow=True)
    document = Document.objects.get(kind="student_certificate")
    assert document.created_by == users[Role.STUDENT]
    response = client.get(f"/api/v1/documents/{document.pk}/audit")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"/api/v1/documents/{document.pk}").status_code == 200  # the document itself is theirs
    client.force_login(users[Role.REGISTRAR])
    response = client.get(f"/api/v1/documents/{document.pk}/audit")
    assert response.status_code == 200
    actions = [event["action"] for event in response.json()]
    assert "document.view" in actions  # the student's own view above is on the trail
    assert document_audit_trail(user=users[Role.REGISTRAR], document=document).exists()


def test_the_cached_portal_shows_a_new_certificate_at_once(
    client: Any, users: dict[str, Any], student_record: Any
) -> None:
    """The student's record part of the portal is cached (a repeat visit costs fewer queries), keyed by
    the audit chain head: the certificate just issued is listed on the very next visit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users[Role.STUDENT])
    with CaptureQueriesContext(connection) as cold:
        first = client.get("/portal/").content.decode()
    with CaptureQueriesContext(connection) as warm:
        warm_body = client.get("/portal/").content.decode()
    assert 'name="purpose"' in warm_body and warm_body.count("csrfmiddlewaretoken") == first.count(
        "csrfmiddlewaretoken"
    )
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert "No documents about you have been issued yet." in first
    client.post("/portal/certificates/", {"purpose": "military", "language": "en"})
    issued = Document.objects.filter(kind="student_certificate").order_by("-id").first()
    assert issued is not None and issued.registry_number
    body = client.get("/portal/").content.decode()
    assert issued.registry_number in body and "No documents about you have been issued yet." not in body
