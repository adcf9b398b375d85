"""Fixtures of the template tests: staff with admin access, a valid order template, upload helpers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from records.models import Document, Role
from records.services.document import document_create, document_transition
from tests.doctemplates.builders import make_docx

INDEX = "/admin/templates/"
ORDER_DATA = {"subject": "Об учебном графике", "body": "Утвердить график."}


def order_template(marker: str = "Пользовательский шаблон") -> bytes:
    """A template of an internal order that uses only what the kind provides, and places the rector's field."""
    return make_docx(
        marker,
        "Номер: {{ number }}",
        "Тема: {{ data.subject }}",
        "{{ data.body }}",
        "Ректор: {{ signature_field('rector') }}",
        "{% if qr_code is defined %}{{ qr_code }}{% endif %}",
        header="{{ university_name }}",
    )


def upload_post(client: Any, docx: bytes, *, kind: str = "internal_order", language: str = "ru") -> Any:
    """POST an upload through the back office."""
    return client.post(
        INDEX,
        {
            "kind": kind,
            "language": language,
            "file": SimpleUploadedFile("template.docx", docx),
            "comment": "new layout",
        },
    )


def approved_order(users: dict[str, Any], org: Any, title: str = "Приказ") -> Document:
    """An internal order of the faculty submitted by the dean and approved by the rector (rendered)."""
    document = document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title=title, data=ORDER_DATA
    )
    document = document_transition(document=document, by=users[Role.DEAN], name="submit")
    return document_transition(document=document, by=users[Role.RECTOR], name="approve")


@pytest.fixture
def valid_template() -> bytes:
    return order_template()
