"""Disposition review: what reached the end of its retention, recorded as evidence.

The daily task (records.tasks.retention_review_daily) calls `retention_review`: the due list counted
by final action and hold, written as one audit event ("retention.review") the archive page shows.
Nothing is destroyed here; the archivist drafts a disposition act from the due list
(records.kinds.disposition) and only its registration destroys (records.services.document).
"""

from __future__ import annotations

from django.utils import timezone

from records.actors import SYSTEM
from records.selectors.disposition import due_filings, due_records, due_summary
from records.services.audit import audit_record

CHUNK = 2000


def retention_review() -> dict[str, int]:
    """Count the due records (by action, and those under hold) and record the review as an audit event."""
    today = timezone.localdate()
    summary = due_summary(on=today)
    held = 0
    filings = due_filings(on=today, action="destroy")
    total_destroy = filings.count()
    for start in range(0, total_destroy, CHUNK):
        held += sum(1 for due in due_records(filings[start : start + CHUNK]) if due.holds)
    counts = {"due": summary.total, "held": held}
    for _series, action, n in summary.by_series:
        counts[action] = counts.get(action, 0) + n
    audit_record(
        actor=SYSTEM,
        action="retention.review",
        object_type="retention",
        object_id=today.isoformat(),
        changes=counts,
    )
    return counts
