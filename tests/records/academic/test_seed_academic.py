"""The demo academic history: registered in bulk, projected, and replayable."""

from __future__ import annotations

from typing import Any

from records.demo.academic import seed_academic
from records.demo.seed import seed_demo
from records.models import AuditEvent, Document
from records.models.academic import GradeLine, Student, StudentGpa
from records.projections.replay import replay


def test_seed_academic_registers_a_replayable_history(db: Any) -> None:
    seed_demo(students=120, seed=5)
    result = seed_academic(seed=5, max_groups=3)
    counts = result.documents
    assert counts["student_order_enrollment"] == 120
    assert counts["grade_statement"] > 10 and counts["working_curriculum"] >= 10
    assert counts.get("student_order_graduation", 0) > 0 and counts.get("final_attestation_protocol", 0) > 0
    assert Student.objects.count() == 120
    assert set(Student.objects.values_list("status", flat=True)) >= {"enrolled", "graduated"}
    assert GradeLine.objects.filter(attempt_kind="retake").exists()
    assert StudentGpa.objects.exists()
    registered = Document.objects.filter(state="registered").count()
    assert AuditEvent.objects.filter(action="document.register").count() == registered
    assert replay(check=True).differs is False
    assert seed_academic(seed=5).documents == {}  # once only
