"""Drafting from the schema-generated form and editing a draft with optimistic locking."""

from __future__ import annotations

from typing import Any

from records.models import AuditEvent, Document, Role
from records.services.document import document_submit, document_update_draft
from tests.records.admin.conftest import DATA, events_after, last_event_id, make_draft

NEW = "/admin/registry/documents/new/"


def form_data(unit: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "org_unit": unit.pk,
        "title": "Приказ об академическом отпуске",
        "data__subject": "Об академическом отпуске",
        "data__body": "Предоставить академический отпуск.",
        "data__effective_date": "2026-09-01",
        "data__executor": "",
    }
    data.update(overrides)
    return data


def test_without_kind_the_user_chooses_one(client: Any, staff: dict[str, Any]) -> None:
    client.force_login(staff[Role.DEAN])
    for query in ("", "?kind=no_such_kind"):
        response = client.get(NEW + query)
        assert response.status_code == 200
        assert f'href="{NEW}?kind=internal_order"' in response.content.decode()


def test_the_form_follows_the_schema_and_offers_only_units_in_scope(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    client.force_login(staff[Role.DEAN])
    response = client.get(NEW + "?kind=internal_order")
    assert response.status_code == 200
    form = response.context["form"]
    assert {value for value, _label in form.fields["org_unit"].choices} == {org.faculty.pk, org.department.pk}
    assert form.fields["data__subject"].required and form.fields["data__subject"].max_length == 300
    assert not form.fields["data__effective_date"].required
    assert not form.fields["data__executor"].required
    body = response.content.decode()
    assert 'type="date"' in body
    assert '<textarea name="data__body"' in body
    assert "autofocus" in str(form["org_unit"])


def test_a_user_who_may_not_draft_gets_403_and_nothing_is_written(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    before = last_event_id()
    for who in (Role.ARCHIVIST, Role.STUDENT):
        client.force_login(staff[who])
        assert client.get(NEW + "?kind=internal_order").status_code == 403
        assert client.post(NEW + "?kind=internal_order", form_data(org.faculty)).status_code == 403
    assert events_after(before) == []
    assert not Document.objects.exists()


def test_a_valid_form_creates_the_draft_and_opens_it(client: Any, staff: dict[str, Any], org: Any) -> None:
    before = last_event_id()
    client.force_login(staff[Role.DEAN])
    response = client.post(NEW + "?kind=internal_order", form_data(org.faculty))
    doc = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/registry/documents/{doc.pk}/"
    assert doc.created_by == staff[Role.DEAN]
    assert doc.current_version.data == {
        "subject": "Об академическом отпуске",
        "body": "Предоставить академический отпуск.",
        "effective_date": "2026-09-01",
        "executor": "",
    }
    assert events_after(before) == ["document.create"]
    page = client.get(response["Location"]).content.decode()
    assert "created" in page


def test_bad_input_is_shown_on_the_form_and_writes_nothing(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    before = last_event_id()
    client.force_login(staff[Role.DEAN])
    bad = form_data(org.other_faculty, data__subject="ab", data__effective_date="31.02.2026", title="")
    response = client.post(NEW + "?kind=internal_order", bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"org_unit", "data__subject", "data__effective_date"} <= set(errors)  # the title is proposed
    assert 'value="ab"' in response.content.decode()  # the user's input is kept
    assert events_after(before) == []
    assert not Document.objects.exists()


def edit_url(doc: Document) -> str:
    return f"/admin/registry/documents/{doc.pk}/edit/"


def test_the_edit_form_carries_the_lock_version_and_current_data(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = make_draft(staff, org)
    client.force_login(staff[Role.DEAN])
    response = client.get(edit_url(doc))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'type="hidden" name="lock_version" value="{doc.lock_version}"' in body
    assert DATA["subject"] in body


def test_saving_a_draft_writes_one_edit_event(client: Any, staff: dict[str, Any], org: Any) -> None:
    doc = make_draft(staff, org)
    before = last_event_id()
    client.force_login(staff[Role.DEAN])
    post = {
        "lock_version": doc.lock_version,
        "title": "Приказ (ред.)",
        "comment": "",
        "data__subject": DATA["subject"],
        "data__body": "Новый текст",
        "data__executor": DATA["executor"],
        "data__effective_date": "",
    }
    response = client.post(edit_url(doc), post)
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.title == "Приказ (ред.)"
    assert doc.current_version.data["body"] == "Новый текст"
    assert events_after(before) == ["document.edit"]
    assert AuditEvent.objects.get(id__gt=before).changes["data"]["body"] == {
        "from": DATA["body"],
        "to": "Новый текст",
    }


def test_a_concurrent_edit_is_reported_and_the_input_kept(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    doc = make_draft(staff, org)
    loaded = doc.lock_version
    document_update_draft(document=doc, by=staff[Role.REGISTRAR], lock_version=loaded, title="Чужая правка")
    before = last_event_id()
    client.force_login(staff[Role.DEAN])
    post = {
        "lock_version": loaded,
        "title": "Моя правка",
        "comment": "",
        "data__subject": DATA["subject"],
        "data__body": "Мой текст",
        "data__executor": "",
        "data__effective_date": "",
    }
    response = client.post(edit_url(doc), post)
    assert response.status_code == 200
    body = response.content.decode()
    assert "changed by someone else" in body
    assert "Мой текст" in body and 'value="Моя правка"' in body
    assert events_after(before) == []
    doc.refresh_from_db()
    assert doc.title == "Чужая правка"


def test_editing_is_refused_outside_draft_or_scope(client: Any, staff: dict[str, Any], org: Any) -> None:
    doc = make_draft(staff, org)
    before = last_event_id()
    client.force_login(staff["other_dean"])
    assert client.get(edit_url(doc)).status_code == 404
    document_submit(document=doc, by=staff[Role.DEAN])
    before = last_event_id()
    client.force_login(staff[Role.DEAN])
    assert client.get(edit_url(doc)).status_code == 403
    assert client.post(edit_url(doc), {"lock_version": 0, "title": "x"}).status_code == 403
    assert events_after(before) == []
