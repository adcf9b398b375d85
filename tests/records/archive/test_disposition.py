"""Disposition: only a registered act destroys; a record under hold is destroyed by no path (service,
command, API, task, the act); the residual record verifies after destruction."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from records.errors import RecordsError
from records.lifecycle import State
from records.models import AuditEvent, Blob, Document, Role
from records.search_projection import project
from records.services.document import document_create, document_transition
from records.services.fixity import registry_verify
from records.services.holds import hold_lift, hold_place
from records.tasks import retention_review_daily
from tests.conftest import walk_route
from tests.records.api.conftest import TokenClient
from tests.records.archive.conftest import make_due


def _act(users: dict[str, Any], org: Any, *records: Document) -> Document:
    return document_create(
        by=users[Role.ARCHIVIST],
        kind="disposition_act",
        org_unit=org.university,
        title="Акт",
        data={"records": [r.registry_number for r in records], "basis": "Истёк срок хранения"},
    )


def test_a_registered_act_destroys_and_the_residual_record_verifies(
    users: dict[str, Any], org: Any, plan: Document, registered_doc: Document
) -> None:
    record = make_due(registered_doc)
    pdf_sha = record.current_version.pdf_blob_id
    assert record.filing.series_index == "01-05" and pdf_sha

    act = walk_route(users, _act(users, org, record), approver=Role.EXPERT_COMMISSION)

    record.refresh_from_db()
    assert record.state == State.DISPOSED
    dispose = AuditEvent.objects.get(document=record, action="document.dispose")
    assert dispose.actor_repr == "system" and dispose.changes["act"] == act.registry_number
    assert pdf_sha in dispose.changes["residual"]["destroyed_files"]
    assert AuditEvent.objects.filter(document=record, action="document.archive").count() == 1
    version = record.current_version
    version.refresh_from_db()
    assert version.data == {} and len(version.data_sha256) == 64  # the hash stays as evidence
    with pytest.raises(RecordsError):
        Blob.objects.get(pk=pdf_sha).read()
    assert Blob.objects.get(pk=pdf_sha).destroyed_at is not None
    assert project(str(record.pk)) is None  # gone from the index
    report = registry_verify()
    assert report.ok, report.problems  # the residual record (hashes, events, the act) verifies


def test_disposal_without_a_registered_act_is_refused(
    users: dict[str, Any], org: Any, plan: Document, registered_doc: Document
) -> None:
    archivist = users[Role.ARCHIVIST]
    record = make_due(registered_doc)
    record = document_transition(document=record, by=archivist, name="archive")
    with pytest.raises(RecordsError) as refused:
        document_transition(document=record, by=archivist, name="dispose", reason="срок истёк")
    assert refused.value.code == "disposal_needs_act"
    act = walk_route(users, _act(users, org, record), approver=Role.EXPERT_COMMISSION, until=State.SIGNING)
    record.refresh_from_db()
    assert act.state == State.SIGNING and record.state == State.ARCHIVED  # not registered: nothing destroyed


def test_an_act_is_refused_for_records_not_due_or_kept_permanently(
    users: dict[str, Any], org: Any, plan: Document, registered_doc: Document
) -> None:
    with pytest.raises(RecordsError, match="kept until"):
        _act(users, org, registered_doc)
    with pytest.raises(RecordsError, match="NOPE-1"):
        document_create(
            by=users[Role.ARCHIVIST],
            kind="disposition_act",
            org_unit=org.university,
            title="Акт",
            data={"records": ["NOPE-1"], "basis": "Истёк срок"},
        )


def test_a_record_under_hold_is_destroyed_by_no_path(
    users: dict[str, Any],
    org: Any,
    plan: Document,
    registered_doc: Document,
    api: Callable[[str], TokenClient],
) -> None:
    archivist = users[Role.ARCHIVIST]
    record = make_due(registered_doc)
    act = walk_route(users, _act(users, org, record), approver=Role.EXPERT_COMMISSION, until=State.REVIEW)
    hold = hold_place(
        by=users[Role.AUDITOR], kind="audit", reason="Проверка министерства", series_index="01-05"
    )

    # the act: refused at approval, naming the held record
    with pytest.raises(RecordsError) as refused:
        document_transition(document=act, by=users[Role.EXPERT_COMMISSION], name="approve")
    assert refused.value.code == "held_records" and record.registry_number in refused.value.message
    # the service
    record = document_transition(document=record, by=archivist, name="archive")
    with pytest.raises(RecordsError) as held:
        document_transition(document=record, by=archivist, name="dispose", reason="срок истёк")
    assert held.value.code == "held"
    # the API
    response = api(Role.ARCHIVIST).post(
        f"/api/v1/documents/{record.pk}/transitions/dispose", {"reason": "срок"}
    )
    assert response.status_code in (400, 403, 409), response.content
    # the command lists it as held and destroys nothing
    out = io.StringIO()
    call_command("retention", "due", "--json", stdout=out)
    listed = {r["id"]: r for r in json.loads(out.getvalue())["records"]}
    assert listed[record.pk]["held_by"] == [hold.pk]
    # the scheduled task counts it as held and destroys nothing
    result = retention_review_daily.enqueue().return_value
    assert result["held"] == 1
    record.refresh_from_db()
    assert record.state == State.ARCHIVED
    assert not AuditEvent.objects.filter(document=record, action="document.dispose").exists()

    # once the hold is lifted the act goes on and destroys
    hold_lift(hold=hold, by=users[Role.RECTOR], reason="Проверка завершена")
    assert AuditEvent.objects.filter(action="hold.lift", object_id=str(hold.pk)).count() == 1
    walk_route_rest(users, act)
    record.refresh_from_db()
    assert record.state == State.DISPOSED


def walk_route_rest(users: dict[str, Any], act: Document) -> None:
    """Approve and sign an act already in review."""
    from records.demo.pki import bootstrap_pki, demo_passphrase
    from records.kinds.base import get_kind
    from records.services.signature import document_sign

    act = document_transition(document=act, by=users[Role.EXPERT_COMMISSION], name="approve")
    act = document_transition(document=act, by=users[Role.REGISTRAR], name="start_signing")
    signers = [users[step.role] for step in get_kind(act.kind).signing_route]
    bootstrap_pki(usernames={s.username for s in signers})
    for signer in signers:
        document_sign(document=act, by=signer, passphrase=demo_passphrase(signer.username))
        act.refresh_from_db()
    assert act.state == State.REGISTERED


def test_holds_are_placed_and_lifted_by_authorised_roles_only(
    users: dict[str, Any], org: Any, registered_doc: Document
) -> None:
    with pytest.raises(RecordsError):
        hold_place(by=users[Role.DEAN], kind="legal", reason="Иск", document=registered_doc)
    with pytest.raises(RecordsError):  # the auditor places audit holds, not legal ones
        hold_place(by=users[Role.AUDITOR], kind="legal", reason="Иск", document=registered_doc)
    with pytest.raises(RecordsError):  # one scope only
        hold_place(
            by=users[Role.ARCHIVIST], kind="legal", reason="Иск", document=registered_doc, series_index="01"
        )
    with pytest.raises(RecordsError):
        hold_place(by=users[Role.ARCHIVIST], kind="legal", reason=" ", document=registered_doc)
    with pytest.raises(RecordsError):
        hold_place(by=users[Role.ARCHIVIST], kind="legal", reason="Иск", query="password=1")
    hold = hold_place(
        by=users[Role.ARCHIVIST], kind="legal", reason="Иск", query="q=приказ&kind=internal_order"
    )
    from records.selectors.holds import document_is_held, holds_for

    assert holds_for(registered_doc) == [hold] and document_is_held(registered_doc)
    with pytest.raises(RecordsError):
        hold_lift(hold=hold, by=users[Role.AUDITOR], reason="нет")  # not an audit hold
    hold_lift(hold=hold, by=users[Role.ARCHIVIST], reason="Иск отозван")
    assert not document_is_held(registered_doc)
    assert AuditEvent.objects.filter(action__in=["hold.place", "hold.lift"]).count() == 2


def test_a_student_hold_reaches_the_documents_about_the_student(
    users: dict[str, Any], org: Any, registered_doc: Document
) -> None:
    from records.models import Person
    from records.selectors.holds import document_is_held

    student = Person.objects.get(user=users[Role.STUDENT])
    Document.objects.filter(pk=registered_doc.pk).update(subject=student)
    registered_doc.refresh_from_db()
    hold_place(by=users[Role.RECTOR], kind="legal", reason="Апелляция", student=student)
    assert document_is_held(registered_doc)


def test_holds_list_command(users: dict[str, Any], registered_doc: Document) -> None:
    hold = hold_place(by=users[Role.ARCHIVIST], kind="legal", reason="Иск", document=registered_doc)
    out = io.StringIO()
    call_command("holds", "list", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [(r["id"], r["scope"], r["target"]) for r in rows] == [
        (hold.pk, "document", registered_doc.registry_number)
    ]
