"""Journey: the dean drafts an internal order through the form, submits it, the rector approves it
(and rejects another with a reason); every step shows in the document's audit trail."""

from __future__ import annotations

import re
from typing import Any

from records.lifecycle import State
from records.models import Document, Role


def draft_through_the_form(client: Any, org: Any, title: str) -> Document:
    response = client.post(
        "/admin/registry/documents/new/?kind=internal_order",
        {
            "org_unit": org.faculty.pk,
            "title": title,
            "data__subject": "Об академическом отпуске",
            "data__body": "Предоставить академический отпуск студенту.",
            "data__effective_date": "2026-09-01",
            "data__executor": "Деканат",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return Document.objects.get(title=title)


def trail_actions(client: Any, doc: Document) -> list[str]:
    body = client.get(f"/admin/registry/documents/{doc.pk}/").content.decode()
    return re.findall(r'<tr data-action="([a-z_.]+)"[^>]*>', body)


def test_draft_submit_approve_and_reject_through_the_back_office(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    dean, rector = staff[Role.DEAN], staff[Role.RECTOR]
    client.force_login(dean)
    approved = draft_through_the_form(client, org, "Приказ №1 об отпуске")
    rejected = draft_through_the_form(client, org, "Приказ №2 об отпуске")
    for doc in (approved, rejected):
        assert client.post(f"/admin/registry/documents/{doc.pk}/transition/submit/").status_code == 302

    client.force_login(rector)
    home = client.get("/admin/").content.decode()
    assert "Приказ №1 об отпуске" in home and "Приказ №2 об отпуске" in home
    for doc in (approved, rejected):  # the rector opens each order before deciding
        assert client.get(f"/admin/registry/documents/{doc.pk}/").status_code == 200
    assert client.post(f"/admin/registry/documents/{approved.pk}/transition/approve/").status_code == 302
    response = client.post(
        f"/admin/registry/documents/{rejected.pk}/transition/reject/",
        {"reason": "Не указаны основания", "confirm": "True"},
        follow=True,
    )
    assert response.status_code == 200

    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert approved.state == State.APPROVED and approved.registry_number
    assert rejected.state == State.DRAFT

    client.force_login(staff[Role.AUDITOR])
    assert trail_actions(client, approved) == [
        "document.create",
        "document.submit",
        "document.view",
        "document.approve",
        "document.render",
        "document.view",
    ]
    body = client.get(f"/admin/registry/documents/{rejected.pk}/").content.decode()
    assert "Не указаны основания" in body
    assert trail_actions(client, rejected)[:4] == [
        "document.create",
        "document.submit",
        "document.view",
        "document.reject",
    ]
    assert "rector" in body and "dean" in body  # who
    # The dean sees the rejected order back in "waiting for me" and may edit it again.
    client.force_login(dean)
    home = client.get("/admin/").content.decode()
    assert "Приказ №2 об отпуске" in home
    assert client.get(f"/admin/registry/documents/{rejected.pk}/edit/").status_code == 200
