"""The demo academic history: registered (statements in bulk or through their signed route), projected, replayable."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from records.demo.academic import seed_academic
from records.demo.seed import seed_demo
from records.lifecycle import State
from records.models import AuditEvent, Document, Role, RoleAssignment, Signature
from records.models.academic import GradeLine, Student, StudentGpa, StudentStatusEvent
from records.projections.replay import replay
from records.selectors.document import document_current_pdf
from records.selectors.verification import verify_pdf_for_public


def test_seed_academic_registers_a_replayable_history(db: Any) -> None:
    seed_demo(students=120, seed=4)  # a seed whose small graduating group has a student without debts
    result = seed_academic(seed=4, max_groups=3, signed=False)
    counts = result.documents
    assert counts["student_order_enrollment"] == 120
    assert counts["grade_statement"] > 10 and counts["working_curriculum"] >= 10
    assert counts.get("student_order_graduation", 0) > 0 and counts.get("final_attestation_protocol", 0) > 0
    assert result.signed_statements == 0 and not Signature.objects.exists()
    assert Student.objects.count() == 120
    assert set(Student.objects.values_list("status", flat=True)) >= {"enrolled", "graduated"}
    assert GradeLine.objects.filter(attempt_kind="retake").exists()
    assert StudentGpa.objects.exists()
    registered = Document.objects.filter(state="registered").count()
    assert AuditEvent.objects.filter(action="document.register").count() == registered
    assert replay(check=True).differs is False
    assert seed_academic(seed=4).documents == {}  # once only


def _rows(model: Any, skip: set[str], **names: Any) -> list[str]:
    """Every row of `model` as text, without ids and registration times; documents named by title."""
    fields = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
    rows = model.objects.values(*fields, **names)
    return sorted(repr(sorted((k, str(v)) for k, v in row.items())) for row in rows)


def _projections() -> dict[str, Any]:
    """The projected rows of both paths, comparable (document ids differ, their titles do not; the
    policy version is the policy document's id, so it is compared as "the registered policy")."""
    policy = str(Document.objects.get(kind="academic_policy").pk)
    return {
        "policy_versions": sorted(
            {v == policy for v in GradeLine.objects.values_list("policy_version", flat=True)}
            | {v == policy for v in StudentGpa.objects.values_list("policy_version", flat=True)}
        ),
        "students": _rows(Student, {"id"}),
        "status_events": _rows(
            StudentStatusEvent, {"id", "document", "registered_at"}, order=F("document__title")
        ),
        "lines": _rows(
            GradeLine,
            {"id", "document", "amends", "registered_at", "policy_version"},
            statement=F("document__title"),
        ),
        "gpa": _rows(StudentGpa, {"id", "policy_version"}),
    }


def test_signed_statements_go_through_their_route_and_project_as_in_bulk(db: Any) -> None:
    seed_demo(students=300, seed=8)
    arguments = {"seed": 8, "max_groups": 1, "last_year": 2022}
    with transaction.atomic():
        savepoint = transaction.savepoint()
        bulk = seed_academic(**arguments, signed=False)
        bulk_rows = _projections()
        transaction.savepoint_rollback(savepoint)
    assert not Document.objects.exists()

    progress: list[tuple[int, int]] = []
    result = seed_academic(**arguments, progress=lambda done, signed: progress.append((done, signed)))

    assert result.documents == bulk.documents
    statements = Document.objects.filter(kind="grade_statement")
    assert result.signed_statements == statements.count() == bulk.documents["grade_statement"] >= 12
    assert statements.filter(current_version__data__attempt_kind="retake").exists()
    assert set(statements.values_list("state", flat=True)) == {State.REGISTERED}
    for statement in statements:
        steps = list(
            Signature.objects.filter(document=statement, void=False)
            .order_by("id")
            .values_list("step", flat=True)
        )
        assert steps == ["examiner", "head", "registrar"], statement.title
        assert statement.current_version is not None and statement.current_version.pdf_blob_id
    # who did what: the examiner drafted, submitted and signed first; the head of the statement's
    # department (not the author: four eyes) approved and signed; the registrar sent and signed last
    first = statements.select_related("created_by__person", "current_version").order_by("id").first()
    assert first is not None and first.current_version is not None
    actors = dict(AuditEvent.objects.filter(document=first).values_list("action", "actor__username"))
    examiner = first.created_by
    assert first.current_version.data["examiner"] == examiner.person.full_name("ru")
    assert actors["document.create"] == actors["document.submit"] == examiner.username
    head = RoleAssignment.objects.get(role=Role.HEAD_OF_DEPARTMENT, org_unit=first.org_unit).person.user
    assert head is not None and actors["document.approve"] == head.username != examiner.username
    assert actors["document.start_signing"] == actors["document.register"] == "registrar"
    signers = (
        Signature.objects.filter(document=first).order_by("id").values_list("signer__username", flat=True)
    )
    assert list(signers) == [examiner.username, head.username, "registrar"]

    pdf = document_current_pdf(first)
    assert pdf is not None
    verdict = verify_pdf_for_public(pdf)
    assert verdict.ok, verdict.problems
    assert len(verdict.report["signatures"]) == 3
    assert all(s["valid"] and s["trusted"] and s["intact"] for s in verdict.report["signatures"])

    assert _projections() == bulk_rows
    total = sum(result.documents.values())
    assert len(progress) == total and progress[-1] == (total, result.signed_statements)
    assert replay(check=True).differs is False
