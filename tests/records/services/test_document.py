"""The document lifecycle through its services: states, roles, numbers, audit."""

from __future__ import annotations

from typing import Any

import pytest

from records.admin.display import change_lines
from records.errors import ConcurrentEdit, RecordsError
from records.lifecycle import State
from records.models import AuditEvent, Document, Role, Version
from records.services.document import (
    _diff,
    available_transitions,
    document_approve,
    document_create,
    document_reject,
    document_submit,
    document_transition,
    document_update_draft,
)

DATA = {"subject": "Об учебном графике", "body": "Утвердить график.", "executor": "Регистратор"}


def draft(users: dict[str, Any], org: Any, by: str = Role.DEAN) -> Document:
    return document_create(
        by=users[by], kind="internal_order", org_unit=org.faculty, title="Приказ", data=DATA
    )


def test_every_step_is_in_the_audit_trail_with_who_and_what(users: dict[str, Any], org: Any) -> None:
    doc = draft(users, org)
    doc = document_submit(document=doc, by=users[Role.DEAN])
    doc = document_reject(document=doc, by=users[Role.RECTOR], reason="Уточнить срок")
    doc = document_update_draft(
        document=doc, by=users[Role.DEAN], lock_version=doc.lock_version, data={**DATA, "body": "Новый текст"}
    )
    doc = document_submit(document=doc, by=users[Role.DEAN])
    doc = document_approve(document=doc, by=users[Role.RECTOR])
    events = list(AuditEvent.objects.filter(document=doc).order_by("id"))
    assert [e.action for e in events] == [
        "document.create",
        "document.submit",
        "document.reject",
        "document.edit",
        "document.submit",
        "document.approve",
        "document.render",  # after the approval commits, in its own short transaction
    ]
    assert events[2].changes["reason"] == "Уточнить срок"
    assert events[2].actor == users[Role.RECTOR]
    assert events[3].changes["data"] == {"body": {"from": "Утвердить график.", "to": "Новый текст"}}
    assert doc.state == State.APPROVED
    assert doc.registry_number.startswith("ПР-")
    assert Version.objects.filter(document=doc).count() == 2
    assert doc.current_version.frozen


def test_a_frozen_version_is_not_edited_a_rejection_starts_a_new_one(users: dict[str, Any], org: Any) -> None:
    doc = document_submit(document=draft(users, org), by=users[Role.DEAN])
    frozen = doc.current_version
    doc = document_reject(document=doc, by=users[Role.RECTOR], reason="нет")
    assert doc.current_version.number == frozen.number + 1
    frozen.refresh_from_db()
    assert frozen.frozen and frozen.data["body"] == DATA["body"]


def test_a_second_editor_gets_changed_by_someone_else_and_nothing_is_written(
    users: dict[str, Any], org: Any
) -> None:
    doc = draft(users, org)
    loaded = doc.lock_version
    document_update_draft(document=doc, by=users[Role.DEAN], lock_version=loaded, data={**DATA, "body": "A"})
    events_before = AuditEvent.objects.count()
    with pytest.raises(ConcurrentEdit) as exc:
        document_update_draft(
            document=doc, by=users[Role.DEAN], lock_version=loaded, data={**DATA, "body": "B"}
        )
    assert "someone else" in exc.value.message
    doc.refresh_from_db()
    assert doc.current_version.data["body"] == "A"
    assert AuditEvent.objects.count() == events_before


def test_invalid_data_is_refused_and_nothing_is_stored(users: dict[str, Any], org: Any) -> None:
    with pytest.raises(RecordsError) as exc:
        document_create(
            by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="X", data={"body": ""}
        )
    assert "Subject: this field is required." in exc.value.message  # a sentence naming the field
    assert Document.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_dean_cannot_draft_for_another_faculty(users: dict[str, Any], org: Any) -> None:
    with pytest.raises(RecordsError):
        document_create(
            by=users["other_dean"], kind="internal_order", org_unit=org.faculty, title="X", data=DATA
        )


# (state reached, transition, role, allowed)
TRANSITION_TABLE = [
    ("draft", "submit", Role.DEAN, True),  # the author
    ("draft", "submit", Role.RECTOR, True),  # a creator role with scope
    ("draft", "submit", "other_dean", False),
    ("draft", "submit", Role.STUDENT, False),
    ("draft", "approve", Role.RECTOR, False),
    ("review", "approve", Role.RECTOR, True),
    ("review", "approve", Role.REGISTRAR, True),
    ("review", "approve", Role.DEAN, False),  # four eyes: not the author
    ("review", "approve", Role.TEACHER, False),
    ("review", "approve", "other_dean", False),
    ("review", "reject", Role.RECTOR, True),
    ("review", "reject", Role.AUDITOR, False),
    ("review", "reject", Role.DEAN, False),  # four eyes: the author does not reject their own either
    ("approved", "reject", Role.DEAN, False),  # the same once approved
    ("approved", "reject", Role.RECTOR, True),
    ("approved", "start_signing", Role.REGISTRAR, True),
    ("approved", "start_signing", Role.TEACHER, False),
    ("approved", "register", Role.REGISTRAR, False),  # not from approved
    ("signing", "register", Role.REGISTRAR, False),  # the route is not complete
    ("signing", "reject", Role.RECTOR, True),
    ("signing", "revoke", Role.RECTOR, False),
]
PATH = {
    "draft": [],
    "review": [("submit", Role.DEAN)],
    "approved": [("submit", Role.DEAN), ("approve", Role.RECTOR)],
    "signing": [("submit", Role.DEAN), ("approve", Role.RECTOR), ("start_signing", Role.REGISTRAR)],
}


@pytest.mark.parametrize(("state", "name", "role", "allowed"), TRANSITION_TABLE)
def test_transition_table(
    users: dict[str, Any], org: Any, state: str, name: str, role: str, allowed: bool
) -> None:
    doc = draft(users, org)
    for step, who in PATH[state]:
        doc = document_transition(document=doc, by=users[who], name=step)
    assert doc.state == state
    assert (name in available_transitions(doc, users[role])) is allowed
    before = AuditEvent.objects.count()
    if allowed:
        document_transition(document=doc, by=users[role], name=name, reason="причина")
        # Approval renders the PDF after it commits: a second event, "document.render".
        assert AuditEvent.objects.count() == before + (2 if name == "approve" else 1)
    else:
        with pytest.raises(RecordsError):
            document_transition(document=doc, by=users[role], name=name, reason="причина")
        assert AuditEvent.objects.count() == before
        doc.refresh_from_db()
        assert doc.state == state


def test_an_edit_records_only_the_changed_items_of_a_long_table() -> None:
    lines = [{"student_iin": f"{i:012d}", "rating1": "80", "exam": ""} for i in range(500)]
    edited = [dict(line) for line in lines]
    edited[41]["exam"] = "90"
    changes = _diff({"group_code": "ИС-21", "lines": lines}, {"group_code": "ИС-21", "lines": edited})
    assert changes == {"lines": {"42": {"exam": {"from": "", "to": "90"}}}}
    assert [(line.field, line.text) for line in change_lines({"data": changes})] == [
        ("data.lines.42.exam", " → 90")
    ]
    # A row added at the end and a scalar replaced are recorded whole.
    grown = _diff({"lines": lines[:1], "n": 1}, {"lines": [*lines[:1], lines[1]], "n": 2})
    assert grown == {"lines": {"2": {"from": None, "to": lines[1]}}, "n": {"from": 1, "to": 2}}
