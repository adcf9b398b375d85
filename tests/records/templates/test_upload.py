"""A methodologist uploads a template, gets every problem named, previews it, activates it (journey 9)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from doctemplates.models import TemplateVersion
from doctemplates.provenance import pdf_text
from records.errors import RecordsError
from records.models import Role
from records.services.rendering import version_render
from records.services.templates import template_upload
from tests.doctemplates.builders import make_docx, with_extra_entry
from tests.records.admin.conftest import events_after, last_event_id
from tests.records.templates.conftest import INDEX, approved_order, order_template, upload_post


def not_a_word_zip() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "hello")
    return output.getvalue()


BAD_UPLOADS = {
    "corrupt zip": (lambda: b"PK\x03\x04" + b"\x00garbage" * 50, "not_zip", None),
    "plain text": (lambda: "Приказ {{ number }}".encode(), "not_zip", None),
    "zip but not docx": (not_a_word_zip, "not_docx", None),
    "zip bomb": (
        lambda: with_extra_entry(order_template(), "word/bomb.xml", b"\x00" * (50 * 1024 * 1024)),
        "zip_bomb",
        "word/bomb.xml",
    ),
    "syntax error": (
        lambda: make_docx("Тема: {{ data.subject }", "{{ signature_field('rector') }}"),
        "syntax",
        "Тема: {{ data.subject }",
    ),
    "unknown variable": (
        lambda: make_docx("Средний балл: {{ gpa }}", "{{ signature_field('rector') }}"),
        "unknown_variable",
        "Средний балл",
    ),
    "unknown field of the data": (
        lambda: make_docx("{{ data.grade }}", "{{ signature_field('rector') }}"),
        "unknown_field",
        None,
    ),
    "python internals": (
        lambda: make_docx("{{ x.__class__ }}", "{{ signature_field('rector') }}"),
        "forbidden",
        "x.__class__",
    ),
    "missing signature field": (lambda: make_docx("{{ number }}"), "signature_field_missing", None),
    # Issue 11: these gave a 500 at upload, or ran 130 s and grew the server by 400 MB.
    "huge power": (
        lambda: make_docx("{{ 10 ** 5000 }}", "{{ signature_field('rector') }}"),
        "too_large",
        "{{ 10 ** 5000 }}",
    ),
    "huge repetition": (
        lambda: make_docx("{{ 'x' * 10000000 }}", "{{ signature_field('rector') }}"),
        "too_large",
        "{{ &#x27;x&#x27; * 10000000 }}",
    ),
    "huge repetition of the data": (
        lambda: make_docx("{{ data.subject * 10000000 }}", "{{ signature_field('rector') }}"),
        "render",
        "{{ data.subject * 10000000 }}",
    ),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_bad_upload_lists_its_problem_and_stores_nothing(
    case: str, client: Any, staff: dict[str, Any]
) -> None:
    build, code, where = BAD_UPLOADS[case]
    client.force_login(staff[Role.REGISTRAR])
    before = last_event_id()
    response = upload_post(client, build())
    assert response.status_code == 400
    body = response.content.decode()
    assert f'data-problem="{code}"' in body
    if where is not None:
        assert where in body
    assert TemplateVersion.objects.count() == 0
    assert events_after(before) == []


def test_an_oversized_upload_is_refused_by_the_form(
    client: Any, staff: dict[str, Any], settings: Any
) -> None:
    settings.RECTORATE_MAX_UPLOAD_BYTES = 1000
    client.force_login(staff[Role.ADMINISTRATOR])
    before = last_event_id()
    response = upload_post(client, order_template())
    assert response.status_code == 400
    assert "the limit is 1000" in response.content.decode()
    assert TemplateVersion.objects.count() == 0
    assert events_after(before) == []


@pytest.mark.parametrize("who", [Role.TEACHER, Role.STUDENT, Role.DEAN])
def test_only_administrators_and_registrars_may_upload(
    who: str, client: Any, staff: dict[str, Any], valid_template: bytes
) -> None:
    client.force_login(staff[who])
    before = last_event_id()
    assert client.get(INDEX).status_code == 403
    assert upload_post(client, valid_template).status_code == 403
    assert TemplateVersion.objects.count() == 0
    assert events_after(before) == []


def test_the_templates_page_lists_every_kind_and_language(client: Any, staff: dict[str, Any]) -> None:
    client.force_login(staff[Role.ADMINISTRATOR])
    before = last_event_id()
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "built-in default" in response.content.decode()
    assert events_after(before) == []


def test_upload_preview_activate_and_earlier_documents_keep_their_template(
    client: Any, staff: dict[str, Any], org: Any, valid_template: bytes
) -> None:
    """Journey 9: the next approved document uses the new version; one approved before keeps the default."""
    earlier = approved_order(staff, org, title="Earlier")
    earlier_version = earlier.current_version
    assert earlier_version is not None and earlier_version.template_version.startswith("default:")

    client.force_login(staff[Role.REGISTRAR])
    before = last_event_id()
    response = upload_post(client, valid_template)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = TemplateVersion.objects.get()
    assert (version.number, version.active, version.author) == (1, False, staff[Role.REGISTRAR])
    assert events_after(before) == ["template.upload"]

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "data-activate" in page.content.decode()
    preview = client.get(f"/admin/templates/versions/{version.pk}/preview.pdf")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    text = pdf_text(preview.content)
    assert "Пользовательский шаблон" in text
    assert "Об организации учебного процесса" in text  # the kind's sample data

    confirm = client.get(f"/admin/templates/versions/{version.pk}/activate/")
    assert confirm.status_code == 200
    assert TemplateVersion.objects.get().active is False  # GET only asks
    assert client.post(f"/admin/templates/versions/{version.pk}/activate/").status_code == 302
    version.refresh_from_db()
    assert version.active and version.active_from is not None
    assert events_after(before) == ["template.upload", "template.activate"]

    later = approved_order(staff, org, title="Later")
    later_version = later.current_version
    assert later_version is not None
    assert later_version.template_version == f"tv:{version.pk}:{version.sha256[:16]}"
    assert "Пользовательский шаблон" in pdf_text(later_version.pdf_blob.read())

    earlier_version.refresh_from_db()
    assert earlier_version.template_version.startswith("default:")
    _docx, pdf, provenance = version_render(document=earlier, version=earlier_version, store=False)
    assert provenance["template_version"] == earlier_version.template_version
    assert "Пользовательский шаблон" not in pdf_text(pdf)


def test_a_second_activation_keeps_the_first_in_history(
    client: Any, staff: dict[str, Any], valid_template: bytes
) -> None:
    client.force_login(staff[Role.ADMINISTRATOR])
    assert upload_post(client, valid_template).status_code == 302
    assert upload_post(client, order_template("Второй вариант")).status_code == 302
    first, second = TemplateVersion.objects.order_by("number")
    for version in (first, second):
        client.post(f"/admin/templates/versions/{version.pk}/activate/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.active, second.active) == (False, True)
    history = client.get("/admin/templates/kinds/internal_order/ru/")
    assert history.status_code == 200
    body = history.content.decode()
    assert 'data-version="1"' in body and 'data-version="2"' in body
    assert first.sha256[:16] in body


def test_download_is_for_template_managers_and_is_recorded(
    client: Any, staff: dict[str, Any], valid_template: bytes
) -> None:
    client.force_login(staff[Role.REGISTRAR])
    upload_post(client, valid_template)
    version = TemplateVersion.objects.get()
    url = f"/admin/templates/versions/{version.pk}/download/"
    before = last_event_id()
    client.force_login(staff[Role.TEACHER])
    assert client.get(url).status_code == 403
    assert events_after(before) == []
    client.force_login(staff[Role.ADMINISTRATOR])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == valid_template
    assert events_after(before) == ["template.download"]
    assert client.get("/admin/templates/versions/999999/download/").status_code == 404


def test_the_templates_menu_item_is_shown_to_template_managers_only(
    client: Any, staff: dict[str, Any]
) -> None:
    client.force_login(staff[Role.DEAN])
    assert "registry-templates" not in client.get("/admin/").content.decode()
    client.force_login(staff[Role.REGISTRAR])
    assert "registry-templates" in client.get("/admin/").content.decode()


def test_the_service_refuses_others_and_unknown_languages(
    staff: dict[str, Any], valid_template: bytes
) -> None:
    before = last_event_id()
    with pytest.raises(RecordsError) as refused:
        template_upload(
            by=staff[Role.TEACHER], kind="internal_order", language="ru", docx_bytes=valid_template
        )
    assert refused.value.code == "forbidden"
    with pytest.raises(RecordsError) as refused:
        template_upload(
            by=staff[Role.REGISTRAR], kind="internal_order", language="de", docx_bytes=valid_template
        )
    assert refused.value.code == "invalid_language"
    with pytest.raises(RecordsError) as refused:
        template_upload(
            by=staff[Role.REGISTRAR], kind="no_such_kind", language="ru", docx_bytes=valid_template
        )
    assert refused.value.code == "unknown_kind"
    assert TemplateVersion.objects.count() == 0
    assert events_after(before) == []
