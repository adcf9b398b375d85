"""Staff see a fresh PDF preview of a draft they may view; nothing is stored."""

from __future__ import annotations

from typing import Any

from doctemplates.provenance import pdf_text
from records.models import Role, Version
from tests.records.admin.conftest import events_after, last_event_id, make_draft


def url(document: Any) -> str:
    return f"/admin/templates/documents/{document.pk}/preview.pdf"


def test_a_draft_preview_is_refused_to_those_who_may_not_view_it(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    draft = make_draft(staff, org)
    before = last_event_id()
    for who, status in (("other_dean", 404), (Role.TEACHER, 404), (Role.STUDENT, 403)):
        client.force_login(staff[who])
        assert client.get(url(draft)).status_code == status, who
    assert client.get("/admin/templates/documents/999999/preview.pdf").status_code == 403
    assert events_after(before) == []


def test_the_author_previews_their_draft_and_nothing_is_stored(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    draft = make_draft(staff, org)
    client.force_login(staff[Role.DEAN])
    detail = client.get(f"/admin/registry/documents/{draft.pk}/")
    assert url(draft) in detail.content.decode()
    before = last_event_id()
    response = client.get(url(draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Об учебном графике" in text
    assert events_after(before) == ["document.preview"]
    version = Version.objects.get(document=draft)
    assert (version.pdf_blob_id, version.docx_blob_id, version.template_version) == (None, None, "")
