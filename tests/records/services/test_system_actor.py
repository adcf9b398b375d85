"""The system acts through the same engine as everyone, as an explicit actor with a stated rule
(issue 15): it takes only the transitions no official must decide, drafts only for a person who asked,
may then name only that person and their own unit, and the audit trail says "system"."""

from __future__ import annotations

from typing import Any

import pytest

from records.actors import SYSTEM, SYSTEM_TRANSITIONS, SystemActor
from records.errors import RecordsError
from records.kinds.base import get_kind
from records.lifecycle import TRANSITION_LABELS, State
from records.models import AuditEvent, Document, Person, Role
from records.services.document import document_create, document_submit, document_transition
from tests.factories import make_person
from tests.records.services.test_document import draft


def _certificate_data(person: Person, group: str) -> dict[str, Any]:
    data = dict(get_kind("student_certificate").sample_data)
    data.update(iin=person.iin, full_name=person.full_name("ru"), group=group, programme_code="")
    return data


def test_the_system_may_take_only_the_transitions_no_official_decides() -> None:
    assert SYSTEM_TRANSITIONS == {"submit", "approve", "start_signing", "register", "supersede"}
    assert set(TRANSITION_LABELS) - SYSTEM_TRANSITIONS == {"reject", "revoke", "archive", "dispose"}


def test_the_system_cannot_reject_and_its_transitions_are_audited_as_the_system(
    users: dict[str, Any], org: Any
) -> None:
    document = document_submit(document=draft(users, org), by=users[Role.DEAN])
    events = AuditEvent.objects.count()
    with pytest.raises(RecordsError) as refused:
        document_transition(document=document, by=SYSTEM, name="reject", reason="нет")
    assert refused.value.code == "transition_not_allowed"
    assert AuditEvent.objects.count() == events
    approved = document_transition(document=document, by=SYSTEM, name="approve")
    assert approved.state == State.APPROVED
    event = AuditEvent.objects.filter(document=document).latest("id")
    assert (event.action, event.actor_repr, event.actor_id) == ("document.render", "system", None)
    approve = AuditEvent.objects.get(document=document, action="document.approve")
    assert (approve.actor_repr, approve.actor_id) == ("system", None)


def test_the_system_drafts_only_for_someone_and_only_what_names_them(users: dict[str, Any], org: Any) -> None:
    student_user = users[Role.STUDENT]
    student = Person.objects.get(user=student_user)
    other = make_person(kind=Person.Kind.STUDENT)
    other.group = org.group
    other.save()
    kwargs = {"kind": "student_certificate", "org_unit": org.department, "title": "Справка"}
    before = Document.objects.count()
    with pytest.raises(RecordsError) as nobody:
        document_create(by=SYSTEM, data=_certificate_data(student, org.group.code), **kwargs)
    assert nobody.value.code == "forbidden"
    with pytest.raises(RecordsError) as not_theirs:
        document_create(
            by=SystemActor(for_user=student_user), data=_certificate_data(other, org.group.code), **kwargs
        )
    assert not_theirs.value.code == "subject_not_yours"
    assert other.full_name() in not_theirs.value.message
    assert Document.objects.count() == before
    own = document_create(
        by=SystemActor(for_user=student_user), data=_certificate_data(student, org.group.code), **kwargs
    )
    assert own.created_by == student_user
    created = AuditEvent.objects.get(document=own, action="document.create")
    assert created.actor_repr == "system"
