"""`documents rerender --check` and `documents export` on a real rendered document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from records.models import Blob, Role
from records.services.document import document_approve, document_create, document_submit


def test_rerender_check_passes_then_fails_after_tampering_and_export_writes_the_pdf(
    users: dict[str, Any], org: Any, tmp_path: Path
) -> None:
    data = {"subject": "Тест перерендера", "body": "Текст приказа."}
    doc = document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="П", data=data
    )
    doc = document_approve(document=document_submit(document=doc, by=users[Role.DEAN]), by=users[Role.RECTOR])
    call_command("documents", "rerender", doc.registry_number, "--check")

    out = tmp_path / "doc.pdf"
    call_command("documents", "export", doc.registry_number, "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF-")

    # Point the version at a PDF with other text: the check must notice.
    version = doc.current_version
    version.refresh_from_db()
    other = document_create(
        by=users[Role.DEAN],
        kind="internal_order",
        org_unit=org.faculty,
        title="Д",
        data={**data, "body": "Другой текст."},
    )
    other = document_approve(
        document=document_submit(document=other, by=users[Role.DEAN]), by=users[Role.RECTOR]
    )
    other_version = other.current_version
    other_version.refresh_from_db()
    type(version).objects.filter(pk=version.pk).update(
        pdf_blob=Blob.objects.get(pk=other_version.pdf_blob_id)
    )
    with pytest.raises(SystemExit) as exc:
        call_command("documents", "rerender", doc.registry_number, "--check")
    assert exc.value.code == 1
