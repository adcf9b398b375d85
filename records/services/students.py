"""Student status that changes on its own date: pending orders come into force (the daily task)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from records.projections.students import due_status_people, projection_day, recompute_students
from records.services.audit import audit_record

CHUNK = 1000


def apply_due_status_changes(*, day: dt.date | None = None) -> int:
    """Apply every registered order whose effective date has come (on or before `day`, today by
    default, in the university's time zone) to its student's row; returns how many students changed.

    Idempotent: a second run the same day finds nothing. The system acts, and the audit trail says so.
    """
    day = day or projection_day()
    with transaction.atomic():
        people = due_status_people(day)
        for start in range(0, len(people), CHUNK):
            recompute_students(people[start : start + CHUNK], as_of=day)
        if people:
            audit_record(
                actor=None,
                action="students.status_due_applied",
                changes={"day": day.isoformat(), "students": len(people)},
                object_type="student_status",
            )
    return len(people)
