"""The projections as the registry held them at the end of a past date, for the report kinds.

The student projections (StudentStatusEvent → StudentSpell, Student) and the grade projections
(GradeLine → counts, StudentGpa, the per-term results) are current state: an order or a statement
registered today changes them, even when it is back-dated (an expulsion effective last month, a
retake of last term). A report as of a date must not see it. ``registry_as_of(day)`` rewinds them
to the end of `day`, by the projection code itself, inside a savepoint that is always rolled back:

- the events and grade lines of documents registered after the day are taken out;
- documents registered by the day but revoked after it are projected again (replay mode: no
  contradiction checks, they passed at registration);
- the students and grade people touched are recomputed, with the academic policies in force on
  the day (a policy registered or revoked after it recomputes every student with grades);
- ``in_force`` answers as of the day while the block runs (registered by its end, not revoked by then).

Nothing is written when nothing was registered or revoked after the day; otherwise the block holds
the write lock while it runs (SQLite) and leaves no trace. The live pages never pass here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from records.kinds.base import get_kind
from records.models import AuditEvent, Document
from records.models.academic import GradeLine, StudentStatusEvent
from records.projections.base import as_of_day, replaying
from records.projections.grades import all_grade_people, recompute_grades
from records.projections.policy import POLICY_KIND, policy_book
from records.projections.students import recompute_students
from records.projections.term_results import term_keys

GRADE_KINDS = ("grade_statement", "final_attestation_protocol", "coursework_statement", "practice_statement")


def _revoked_after(day: dt.date) -> list[Document]:
    """Documents registered by the end of `day` and revoked after it, in registration order."""
    ids = AuditEvent.objects.filter(action="document.revoke", created_at__date__gt=day).values_list(
        "document_id", flat=True
    )
    return list(
        Document.objects.filter(pk__in=list(ids), registered_at__date__lte=day)
        .select_related("current_version")
        .order_by("registered_at", "id")
    )


def _projects_students(document: Document) -> bool:
    return document.kind.startswith("student_order_")


@contextmanager
def registry_as_of(day: dt.date) -> Iterator[None]:
    """Within the block, the student and grade projections and ``in_force`` are those of the end of `day`."""
    with as_of_day(day):
        later_events = StudentStatusEvent.objects.filter(registered_at__date__gt=day)
        later_lines = GradeLine.objects.filter(registered_at__date__gt=day)
        later_policy = Document.objects.filter(kind=POLICY_KIND, registered_at__date__gt=day).exists()
        revoked = [
            d for d in _revoked_after(day) if _projects_students(d) or d.kind in (*GRADE_KINDS, POLICY_KIND)
        ]
        if not (later_events.exists() or later_lines.exists() or later_policy or revoked):
            yield
            return
        with transaction.atomic():
            try:
                students = set(later_events.values_list("person_id", flat=True))
                graded = set(later_lines.values_list("person_id", flat=True))
                stale = term_keys(later_lines)
                later_events.delete()
                later_lines.delete()
                again = [d for d in revoked if d.kind != POLICY_KIND and d.current_version is not None]
                with replaying() as context:
                    for document in again:
                        hook = get_kind(document.kind).project
                        if hook is not None and document.current_version is not None:
                            hook(document, document.current_version)
                    context.flush()
                students |= context.status_people
                graded |= context.grade_people
                stale |= term_keys(GradeLine.objects.filter(document_id__in=[d.pk for d in again]))
                if later_policy or any(d.kind == POLICY_KIND for d in revoked):
                    graded |= all_grade_people()
                if students:
                    recompute_students(sorted(students), as_of=day)
                if graded:
                    recompute_grades(graded, policy_book(), stale=stale)
                yield
            finally:
                transaction.set_rollback(True)
