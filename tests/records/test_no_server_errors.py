"""No request ends in a 500: every page and endpoint, for every role, with good and hostile parameters."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from records.models import Document, Role

HOSTILE = [
    "",
    "?p=99999",
    "?p=-1&per_page=abc",
    "?q=%22unbalanced",
    "?q=" + "я" * 3000,
    "?year=abc&kind=nope&state=x&org_unit=zz",
]


def _urls(doc: Document) -> list[str]:
    return [
        "/admin/",
        "/admin/registry/documents/",
        f"/admin/registry/documents/{doc.pk}/",
        "/admin/registry/documents/999999/",
        "/admin/registry/documents/new/",
        "/admin/registry/documents/new/?kind=internal_order",
        "/admin/registry/documents/new/?kind=../../etc",
        f"/admin/registry/documents/{doc.pk}/edit/",
        f"/admin/registry/documents/{doc.pk}/versions/1/pdf/",
        f"/admin/registry/documents/{doc.pk}/versions/99/pdf/",
        "/admin/registry/audit/",
        "/admin/search/",
        "/admin/signing/",
        f"/admin/signing/documents/{doc.pk}/sign/",
        f"/admin/signing/documents/{doc.pk}/verification/",
        "/admin/signing/ltv/",
        "/admin/templates/",
        "/admin/journals/",
        "/admin/journals/999999/",
        "/admin/journals/999999/class/",
        "/api/v1/documents",
        f"/api/v1/documents/{doc.pk}",
        "/api/v1/documents/abc",
        "/api/v1/search",
        "/api/v1/kinds",
        "/portal/",
        "/verify/",
        f"/verify/{doc.verification_code}/",
        "/verify/%00%00/",
    ]


@pytest.mark.parametrize(
    "role", [Role.REGISTRAR, Role.DEAN, Role.TEACHER, Role.STUDENT, "other_dean", "anonymous"]
)
def test_every_page_answers_without_a_server_error(
    client: Any, users: dict[str, Any], registered_doc: Document, role: str
) -> None:
    if role != "anonymous":
        user = users[role]
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
    failures = []
    for url in _urls(registered_doc):
        for params in HOSTILE:
            joined = url + (params if "?" not in url else params.replace("?", "&", 1))
            response = client.get(joined)
            if response.status_code >= 500:
                failures.append((joined[:120], response.status_code))
    assert failures == []
