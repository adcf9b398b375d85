"""The document page: header, versions, signatures, audit trail, only the user's transitions, view events."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from records.models import Blob, Role, Signature, Version
from records.services.document import (
    available_transitions,
    document_submit,
    document_transition,
    document_update_draft,
)
from tests.records.admin.conftest import (
    DATA,
    events_after,
    last_event_id,
    last_read_id,
    make_draft,
    reads_after,
)


def url(document: Any) -> str:
    return f"/admin/registry/documents/{document.pk}/"


def buttons(body: str) -> set[str]:
    return set(re.findall(r'data-transition="([a-z_]+)"', body))


def test_a_document_outside_the_users_scope_is_404_and_nothing_is_recorded(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = make_draft(staff, org)
    before = last_event_id()
    for who in ("other_dean", Role.TEACHER):
        client.force_login(staff[who])
        assert client.get(url(doc)).status_code == 404
    assert client.get("/admin/registry/documents/999999/").status_code == 404
    assert events_after(before) == []


def test_without_admin_access_the_page_is_not_shown_and_not_recorded(
    client: Any, users: dict[str, Any], org: Any
) -> None:
    doc = make_draft(users, org)
    before = last_event_id()
    client.force_login(users[Role.REGISTRAR])
    assert client.get(url(doc)).status_code == 302
    assert events_after(before) == []


def test_a_non_author_viewing_records_exactly_one_view_event(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = make_draft(staff, org, title="Приказ о графике")
    before, before_read = last_event_id(), last_read_id()
    client.force_login(staff[Role.REGISTRAR])
    response = client.get(url(doc))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Приказ о графике" in body
    assert "Об учебном графике" in body  # the version's data table
    assert "document.create" in body  # the audit trail
    assert events_after(before) == []  # a read does not touch the chain
    assert reads_after(before_read) == ["document.view"]


def test_the_author_viewing_records_nothing(client: Any, staff: dict[str, Any], org: Any) -> None:
    doc = make_draft(staff, org)
    before = last_event_id()
    client.force_login(staff[Role.DEAN])
    assert client.get(url(doc)).status_code == 200
    assert events_after(before) == []


def test_only_the_transitions_the_user_may_take_are_offered(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = document_submit(document=make_draft(staff, org), by=staff[Role.DEAN])
    client.force_login(staff[Role.RECTOR])
    body = client.get(url(doc)).content.decode()
    assert buttons(body) == set(available_transitions(doc, staff[Role.RECTOR])) == {"approve", "reject"}
    client.force_login(staff[Role.DEAN])  # the author: four eyes, no approve
    body = client.get(url(doc)).content.decode()
    assert "approve" not in buttons(body)
    assert buttons(body) == set(available_transitions(doc, staff[Role.DEAN]))
    client.force_login(staff[Role.AUDITOR])
    assert buttons(client.get(url(doc)).content.decode()) == set()


def test_the_draft_offers_edit_to_its_author_and_submit_posts_directly(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = make_draft(staff, org)
    client.force_login(staff[Role.DEAN])
    body = client.get(url(doc)).content.decode()
    assert f'href="/admin/registry/documents/{doc.pk}/edit/"' in body
    assert f'action="/admin/registry/documents/{doc.pk}/transition/submit/"' in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_versions_signatures_and_the_pdf_link_are_shown(client: Any, staff: dict[str, Any], org: Any) -> None:
    doc = document_submit(document=make_draft(staff, org), by=staff[Role.DEAN])
    pdf = Blob.store(b"%PDF-1.7\n% a test file\n%%EOF\n", "application/pdf")
    Version.objects.filter(pk=doc.current_version_id).update(pdf_blob=pdf)
    Signature.objects.create(
        document=doc,
        version=doc.current_version,
        step="rector",
        role=Role.RECTOR,
        signer=staff[Role.RECTOR],
        signer_name="Ректоров Р.Р.",
        certificate_sha256="ab" * 32,
        signed_at=timezone.now(),
    )
    client.force_login(staff[Role.REGISTRAR])
    body = client.get(url(doc)).content.decode()
    assert "Ректоров Р.Р." in body
    pdf_url = f"/admin/registry/documents/{doc.pk}/versions/1/pdf/"
    assert pdf_url in body
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.7")
    client.force_login(staff["other_dean"])
    assert client.get(pdf_url).status_code == 404
    client.force_login(staff[Role.REGISTRAR])
    assert client.get(f"/admin/registry/documents/{doc.pk}/versions/7/pdf/").status_code == 404


def test_a_new_version_marks_the_fields_changed_since_the_previous_one(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = document_submit(document=make_draft(staff, org), by=staff[Role.DEAN])
    doc = document_transition(document=doc, by=staff[Role.RECTOR], name="reject", reason="Уточнить")
    document_update_draft(
        document=doc, by=staff[Role.DEAN], lock_version=doc.lock_version, data={**DATA, "body": "Новый текст"}
    )
    client.force_login(staff[Role.REGISTRAR])
    versions = client.get(url(doc)).context["versions"]
    assert [item["version"].number for item in versions] == [2, 1]
    changed = {row.value for row in versions[0]["rows"] if row.changed}
    assert changed == {"Новый текст"}
    assert not any(row.changed for row in versions[1]["rows"])
