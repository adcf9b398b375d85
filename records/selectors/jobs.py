"""Background jobs as pages show them (batches of rendering, signing, diplomas)."""

from __future__ import annotations

from typing import Any

from records.models import Job


def jobs_recent(*, kind: str, created_by: Any = None, limit: int = 20) -> list[Job]:
    """The newest jobs of a kind (only `created_by`'s when given), newest first."""
    jobs = Job.objects.filter(kind=kind)
    if created_by is not None:
        jobs = jobs.filter(created_by_id=getattr(created_by, "pk", None))
    return list(jobs.order_by("-id")[:limit])


def job_find(*, pk: Any, kind: str) -> Job | None:
    """The job of this kind with this id, or None (the caller decides who may see it)."""
    return Job.objects.filter(pk=pk, kind=kind).first()
