"""What a third party sees at /verify/<code>/ and how files are sent.

The page names the holder and the number/series as the paper does, the role and time of every
signature, and the registration date in the university's time zone (a document registered at
01:30 on 4 December in Almaty is "registered 4 December", not 3 December as in UTC); nothing else
personal. Staff get the signed PDF first. Every download says its file name in one RFC 6266 header.
"""

from __future__ import annotations

import datetime as dt
import email.message
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import formats

from records.demo.pki import bootstrap_pki
from records.downloads import ascii_filename, content_disposition
from records.models import AccessEvent, Document, Person, Role, Signature, Student
from records.selectors.document import document_current_pdf
from records.services.certificates import certificate_request
from signing import api as signing_api
from tests.factories import make_person

ALMATY = dt.timezone(dt.timedelta(hours=5))


@pytest.fixture
def certificate(users: dict[str, Any], org: Any) -> Document:
    """A sealed certificate of study for Ахметова Меруерт Сериковна, registered at 01:30 on 4 December
    2026 in Almaty (20:30 on 3 December in UTC)."""
    bootstrap_pki(usernames=set())
    person = make_person(
        kind=Person.Kind.STUDENT,
        username="meruert",
        last_name_ru="Ахметова",
        first_name_ru="Меруерт",
        patronymic_ru="Сериковна",
        last_name_kk="Ахметова",
        first_name_kk="Меруерт",
        patronymic_kk="Серікқызы",
        last_name_en="Akhmetova",
        first_name_en="Meruert",
        group=org.group,
    )
    Student.objects.create(
        person=person,
        programme=org.programme,
        group=org.group,
        year_of_study=2,
        funding="state_grant",
        status="enrolled",
        status_since=dt.date(2024, 9, 1),
    )
    document = certificate_request(by=person.user, purpose="employer", language="ru")
    moment = dt.datetime(2026, 12, 4, 1, 30, tzinfo=ALMATY)
    Document.objects.filter(pk=document.pk).update(registered_at=moment)
    Signature.objects.filter(document=document).update(signed_at=moment)
    document.refresh_from_db()
    return document


def test_the_verification_page_names_holder_number_roles_and_the_local_date(
    certificate: Document, client: Any
) -> None:
    page = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert "Authentic and in force." in page
    assert "Ахметова Меруерт Сериковна" in page  # the holder, as the certificate names her
    assert certificate.registry_number in page and certificate.registry_series in page
    day = formats.date_format(dt.date(2026, 12, 4), "DATE_FORMAT")
    assert re.search(r"data-registered>\s*" + re.escape(day), page), "registered on the local date"
    assert "2026-12-03" not in page and formats.date_format(dt.date(2026, 12, 3), "DATE_FORMAT") not in page
    row = re.search(r"<tbody><tr>(.*?)</tr>", page, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert cells[1].strip() == "Organisation seal"  # the Role column
    assert day in cells[2] and "1:30" in cells[2]  # the When column, in the university's time zone
    person = certificate.subject
    assert person.iin not in page and certificate.title not in page  # nothing more personal


def test_staff_get_the_signed_pdf_first(certificate: Document, client: Any, users: dict[str, Any]) -> None:
    registrar = users[Role.REGISTRAR]
    registrar.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(registrar)
    detail = client.get(reverse("records_admin:document", args=[certificate.pk])).content.decode()
    signed_url = reverse("records_admin:signed_pdf", args=[certificate.pk])
    assert signed_url in detail
    assert detail.index(signed_url) < detail.index("data-preview-pdf")  # offered before the preview
    response = client.get(signed_url)
    assert response.status_code == 200
    assert response.content == document_current_pdf(certificate)
    report = signing_api.verify(response.content)
    assert report.ok and report.signatures  # the sealed bytes, not the unsigned rendition
    version_pdf = certificate.current_version.pdf_blob.read()
    assert response.content != version_pdf


def _filename(header: str) -> tuple[str, str]:
    """(the plain filename, the RFC 5987 one) as a client reads them."""
    message = email.message.Message()
    message["Content-Disposition"] = header
    plain = message.get_param("filename", header="content-disposition")
    extended = re.search(r"filename\*=UTF-8''([^;]+)", header)
    return str(plain), unquote(extended.group(1)) if extended else str(plain)


@pytest.mark.parametrize(
    ("name", "ascii_name"),
    [
        ("СП-2026-000001.pdf", "SP-2026-000001.pdf"),
        ("Б-ОС-2026-00007-v1.pdf", "B-OS-2026-00007-v1.pdf"),
        ("ҚАЗАҚ «жазу».xlsx", "QAZAQ _zhazu_.xlsx"),
        ('a"b\\c.pdf', "a_b_c.pdf"),
        ("documents-20261204.csv", "documents-20261204.csv"),
    ],
)
def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name(name: str, ascii_name: str) -> None:
    header = content_disposition(name)
    assert header.isascii()  # never MIME-encoded as a whole
    assert ascii_filename(name) == ascii_name
    assert _filename(header) == (ascii_name, name)
    assert content_disposition(name, attachment=False).startswith("inline; ")


def _assert_header(response: Any, expected_name: str) -> None:
    assert response.status_code == 200, response.status_code
    header = response.headers["Content-Disposition"]
    assert header.isascii() and "=?utf-8?" not in header.lower()
    assert _filename(header)[1] == expected_name


def test_every_download_endpoint_sends_the_header(
    certificate: Document, client: Any, users: dict[str, Any]
) -> None:
    student = certificate.subject.user
    client.force_login(student)
    _assert_header(
        client.get(f"/portal/documents/{certificate.pk}/pdf/"), f"{certificate.registry_number}.pdf"
    )
    registrar = users[Role.REGISTRAR]
    registrar.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(registrar)
    number = certificate.registry_number
    _assert_header(
        client.get(reverse("records_admin:signed_pdf", args=[certificate.pk])), f"{number}-signed.pdf"
    )
    _assert_header(
        client.get(reverse("records_admin:version_pdf", args=[certificate.pk, 1])), f"{number}-v1.pdf"
    )
    export = client.post(reverse("records_admin:export"), {"format": "csv"})
    assert re.fullmatch(r"documents-[\d-]+\.csv", _filename(export.headers["Content-Disposition"])[1])
    for name in ("verification_json", "verification_xml"):
        response = client.get(reverse(f"records_signing:{name}", args=[certificate.pk]))
        assert response.status_code == 200 and response.headers["Content-Disposition"].isascii()
        assert number in _filename(response.headers["Content-Disposition"])[1]


def test_no_view_writes_the_header_by_hand() -> None:
    """Every Content-Disposition in the code goes through records.downloads.content_disposition."""
    root = Path(__file__).resolve().parents[3]
    offenders = []
    for path in [*root.joinpath("records").rglob("*.py"), *root.joinpath("signing").rglob("*.py")]:
        if path.name == "downloads.py":
            continue
        for number, text in enumerate(path.read_text().splitlines(), start=1):
            if "Content-Disposition" in text and "content_disposition(" not in text:
                offenders.append(f"{path.relative_to(root)}:{number}")
            if "content_disposition_header" in text or "filename=" in text:
                offenders.append(f"{path.relative_to(root)}:{number}")
    assert offenders == []


def test_the_portal_pdf_carries_its_hash_as_etag_and_answers_304_to_a_cached_copy(
    certificate: Document, client: Any, users: dict[str, Any]
) -> None:
    """The stored blob's SHA-256 is the tag; a matching If-None-Match gets 304 without the bytes (the
    permission is checked first and the read is still recorded); a stale tag gets the file."""
    client.force_login(certificate.subject.user)
    url = f"/portal/documents/{certificate.pk}/pdf/"
    full = client.get(url)
    assert full.status_code == 200 and full.content.startswith(b"%PDF")
    tag = full.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{64}"', tag) and "no-cache" in full.headers["Cache-Control"]
    assert tag == f'"{hashlib.sha256(full.content).hexdigest()}"'
    cached = client.get(url, headers={"If-None-Match": tag})
    assert cached.status_code == 304 and cached.content == b"" and cached.headers["ETag"] == tag
    stale = client.get(url, headers={"If-None-Match": '"' + "0" * 64 + '"'})
    assert stale.status_code == 200 and stale.content == full.content
    assert AccessEvent.objects.filter(document=certificate, action="document.download").count() == 3
    client.force_login(users["other_dean"])  # not their document: the tag opens nothing
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 404
