"""The auditor's verification report of a document, its JSON and ETSI XML downloads, and the LTV page."""

from __future__ import annotations

import json
from typing import Any

from records.models import AccessEvent, Document, Role
from tests.records.admin.conftest import last_read_id, reads_after


def report_url(doc: Document, tail: str = "") -> str:
    return f"/admin/signing/documents/{doc.pk}/verification/{tail}"


def test_an_auditor_reads_the_full_report_and_the_view_is_audited(
    client: Any, staff: dict[str, Any], registered_doc: Document
) -> None:
    signature = registered_doc.signatures.get()
    client.force_login(staff[Role.AUDITOR])
    before = last_read_id()
    response = client.get(report_url(registered_doc))
    assert response.status_code == 200
    html = response.content.decode()
    assert signature.certificate_sha256 in html
    assert registered_doc.registry_number in html
    assert 'data-report-ok="1"' in html
    assert reads_after(before) == ["document.verification_view"]


def test_the_dean_with_scope_reads_it_too(
    client: Any, staff: dict[str, Any], registered_doc: Document
) -> None:
    client.force_login(staff[Role.DEAN])
    assert client.get(report_url(registered_doc)).status_code == 200


def test_a_student_and_another_facultys_dean_get_nothing_and_nothing_is_recorded(
    client: Any, staff: dict[str, Any], registered_doc: Document
) -> None:
    before = last_read_id()
    client.force_login(staff[Role.STUDENT])
    assert client.get(report_url(registered_doc)).status_code in (403, 404)
    assert client.get(report_url(registered_doc, "json/")).status_code in (403, 404)
    client.force_login(staff["other_dean"])
    assert client.get(report_url(registered_doc)).status_code == 404
    assert client.get(report_url(registered_doc, "json/")).status_code == 404
    assert client.get(report_url(registered_doc, "xml/")).status_code == 404
    assert reads_after(before) == []


def test_the_json_download_holds_report_and_registry_and_is_audited(
    client: Any, staff: dict[str, Any], registered_doc: Document
) -> None:
    client.force_login(staff[Role.AUDITOR])
    before = last_read_id()
    response = client.get(report_url(registered_doc, "json/"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["registry"]["number"] == registered_doc.registry_number
    assert data["registry"]["in_force"] is True
    assert data["report"]["ok"] is True
    assert (
        data["report"]["signatures"][0]["certificate_sha256"]
        == registered_doc.signatures.get().certificate_sha256
    )
    assert reads_after(before) == ["document.verification_export"]
    assert AccessEvent.objects.get(id__gt=before).details == {"format": "json"}


def test_the_etsi_xml_download_is_audited(
    client: Any, staff: dict[str, Any], registered_doc: Document
) -> None:
    client.force_login(staff[Role.AUDITOR])
    before = last_read_id()
    response = client.get(report_url(registered_doc, "xml/"), {"field": "rector"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert b"ValidationReport" in response.content
    assert reads_after(before) == ["document.verification_export"]
    assert AccessEvent.objects.get(id__gt=before).details == {"format": "etsi_xml", "field": "rector"}


def test_an_unknown_signature_field_gives_a_message_and_no_event(
    client: Any, staff: dict[str, Any], registered_doc: Document
) -> None:
    client.force_login(staff[Role.AUDITOR])
    before = last_read_id()
    response = client.get(report_url(registered_doc, "xml/"), {"field": "nobody"}, follow=True)
    assert response.status_code == 200
    assert "nobody" in response.content.decode()
    assert reads_after(before) == ["document.verification_view"]


def test_the_ltv_page_shows_the_archive_timestamp_expiry_to_auditors(
    client: Any, staff: dict[str, Any], registered_doc: Document
) -> None:
    client.force_login(staff[Role.AUDITOR])
    before = last_read_id()
    response = client.get("/admin/signing/ltv/")
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["document"] == registered_doc
    assert row["expires"] is not None and not row["problem"]
    assert registered_doc.registry_number in response.content.decode()
    assert reads_after(before) == ["registry.ltv_view"]


def test_the_ltv_page_is_refused_to_others(
    client: Any, staff: dict[str, Any], registered_doc: Document
) -> None:
    before = last_read_id()
    for who in (Role.DEAN, Role.STUDENT):
        client.force_login(staff[who])
        assert client.get("/admin/signing/ltv/").status_code == 403
    assert reads_after(before) == []


def test_documents_whose_archive_timestamp_expires_within_two_years_are_flagged(
    registered_doc: Document,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from records.admin.signing import ltv_rows

    [row] = ltv_rows([registered_doc], timezone.now())
    expires = row["expires"]
    assert expires is not None
    [later] = ltv_rows([registered_doc], expires - timedelta(days=365))
    [earlier] = ltv_rows([registered_doc], expires - timedelta(days=3 * 365))
    assert (later["soon"], earlier["soon"]) == (True, False)
