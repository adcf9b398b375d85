"""Approving renders the archival PDF/A with the number, the QR code and the route's signature fields."""

from __future__ import annotations

from typing import Any

import pikepdf
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from doctemplates.provenance import pdf_text
from records.models import Role
from records.services.document import document_approve, document_create, document_submit

DATA = {
    "subject": "Қазақстандағы оқу үдерісі туралы",
    "body": "Әріптер: ә ғ қ ң ө ұ ү һ і — «Том & Джерри» <ТОО>.",
}


def test_approve_renders_a_pdfa_with_number_text_and_signature_fields(
    users: dict[str, Any], org: Any
) -> None:
    doc = document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="Приказ", data=DATA
    )
    doc = document_approve(document=document_submit(document=doc, by=users[Role.DEAN]), by=users[Role.RECTOR])
    version = doc.current_version
    version.refresh_from_db()
    pdf = version.pdf_blob.read()
    text = pdf_text(pdf)
    assert doc.registry_number in text
    assert "ә ғ қ ң ө ұ ү һ і" in text
    assert "«Том & Джерри» <ТОО>" in text
    with pikepdf.open(__import__("io").BytesIO(pdf)) as pdf_doc:
        assert pdf_doc.open_metadata().pdfa_status == "2B"
    fields = [name for name, *_ in enumerate_sig_fields(PdfFileReader(__import__("io").BytesIO(pdf)))]
    assert fields == ["rector"]
    assert version.provenance["template_version"].startswith("default:")
    assert version.template_version == version.provenance["template_version"]
