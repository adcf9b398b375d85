"""Journey 9: the methodologist manages templates; required elements, plain tag errors, framing of
the preview, and going back to the built-in default."""

from __future__ import annotations

from typing import Any

import pytest

from doctemplates.models import TemplateVersion
from records.models import Role
from tests.doctemplates.builders import make_docx
from tests.records.admin.conftest import events_after, last_event_id
from tests.records.templates.conftest import INDEX, upload_post


def test_the_methodologist_opens_templates_and_a_teacher_does_not(client: Any, staff: dict[str, Any]) -> None:
    client.force_login(staff[Role.METHODOLOGIST])
    page = client.get(INDEX)
    assert page.status_code == 200
    body = page.content.decode()
    assert "data.student_iin" in body  # the page lists what a template may use
    assert "{{ data.field }}" in body
    # The page's header (its last breadcrumb) names the page, not "Home".
    assert page.context["breadcrumbs_items"][-1]["label"] == "Templates"
    client.force_login(staff[Role.TEACHER])
    assert client.get(INDEX).status_code == 403


def test_the_methodologist_may_draft_a_curriculum(staff: dict[str, Any], org: Any) -> None:
    from records.permissions import may_create

    assert may_create(staff[Role.METHODOLOGIST], "working_curriculum", org.department)
    assert not may_create(staff[Role.METHODOLOGIST], "student_order_expulsion", org.faculty)


def test_a_certificate_template_without_qr_code_and_verification_link_is_refused(
    client: Any, staff: dict[str, Any]
) -> None:
    client.force_login(staff[Role.METHODOLOGIST])
    before = last_event_id()
    response = upload_post(
        client, make_docx("Справка {{ number }}", "{{ data.full_name }}"), kind="student_certificate"
    )
    assert response.status_code == 400
    problems = response.context["problems"]
    missing = [p for p in problems if p.code == "required_missing"]
    assert {("qr_code" in p.message, "verification_url" in p.message) for p in missing} == {
        (True, False),
        (False, True),
    }
    assert not TemplateVersion.objects.exists() and events_after(before) == []


@pytest.mark.parametrize(
    ("paragraphs", "tag", "engine_words"),
    [
        (("{% for x in data.lines %}", "{{ x }}"), "endfor", "Unexpected end of template"),
        (("{% endif %}",), "endif", "Encountered unknown tag"),
        (("{{ data.subject | shout }}",), "shout", "No filter named"),
    ],
)
def test_a_broken_tag_is_explained_in_plain_words(
    client: Any, staff: dict[str, Any], paragraphs: tuple[str, ...], tag: str, engine_words: str
) -> None:
    client.force_login(staff[Role.METHODOLOGIST])
    response = upload_post(client, make_docx(*paragraphs, "{{ signature_field('rector') }}"))
    assert response.status_code == 400
    syntax = [p for p in response.context["problems"] if p.code in ("syntax", "unknown_filter")]
    assert syntax, response.context["problems"]
    assert tag in syntax[0].message and engine_words not in syntax[0].message
    assert syntax[0].location  # where: the paragraph with the tag
    body = response.content.decode()
    # the problems are shown before the list of templates, where the user is looking
    assert body.index("data-template-problems") < body.index("tpl-slots")


@pytest.mark.libreoffice
def test_the_preview_may_be_framed_by_the_same_origin_and_the_default_comes_back(
    client: Any, staff: dict[str, Any], valid_template: bytes
) -> None:
    client.force_login(staff[Role.METHODOLOGIST])
    assert upload_post(client, valid_template).status_code == 302
    version = TemplateVersion.objects.get()
    preview = client.get(f"/admin/templates/versions/{version.pk}/preview.pdf")
    assert preview.status_code == 200 and preview["X-Frame-Options"] == "SAMEORIGIN"
    assert client.post(f"/admin/templates/versions/{version.pk}/activate/").status_code == 302
    before = last_event_id()
    reset = client.post("/admin/templates/kinds/internal_order/ru/reset/")
    assert reset.status_code == 302
    version.refresh_from_db()
    assert version.active is False
    assert events_after(before) == ["template.reset"]
    history = client.get("/admin/templates/kinds/internal_order/ru/").content.decode()
    assert "built-in default" in history
