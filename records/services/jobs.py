"""Background jobs: create, run item by item with progress, stop, resume.

A job handler is registered per kind: `items(job)` lists the item ids (strings) and
`process(job, item_id)` does one item in its own transaction, raising RecordsError with a
reason when that item cannot be done. Finished items are remembered in `job.results`, so a
resumed or retried job never does an item twice (no duplicate numbers or documents).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.models import Job
from records.services.audit import audit_record


@dataclass(frozen=True)
class JobHandler:
    """What a kind of job does: list its items and process one."""

    items: Callable[[Job], Iterable[str]]
    process: Callable[[Job, str], None]
    label: str = ""


HANDLERS: dict[str, JobHandler] = {}


def register_job_handler(kind: str, handler: JobHandler) -> None:
    HANDLERS[kind] = handler


def job_create(*, kind: str, by: Any, params: dict[str, Any], start: bool = True) -> Job:
    """Create a job and enqueue it for the worker (tests run tasks immediately)."""
    if kind not in HANDLERS:
        raise RecordsError("unknown_job", _("Unknown kind of job %(kind)s."), kind=kind)
    with transaction.atomic():
        job = Job.objects.create(kind=kind, created_by=by if getattr(by, "pk", None) else None, params=params)
        audit_record(
            actor=by,
            action="job.create",
            object_type="job",
            object_id=job.pk,
            changes={"kind": kind, "params": params},
        )
        if start:
            transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from records.tasks import run_job

    run_job.enqueue(job_id)


def job_request_stop(*, job: Job, by: Any) -> None:
    """Ask a running job to stop after its current item; what was done stays done."""
    Job.objects.filter(pk=job.pk).update(stop_requested=True)
    audit_record(actor=by, action="job.stop", object_type="job", object_id=job.pk)


def job_resume(*, job: Job, by: Any) -> None:
    """Run a stopped or failed job again; finished items are skipped."""
    Job.objects.filter(pk=job.pk).update(stop_requested=False, state=Job.State.PENDING)
    audit_record(actor=by, action="job.resume", object_type="job", object_id=job.pk)
    transaction.on_commit(lambda: _enqueue(job.pk))


def job_run(job_id: int, *, progress: Callable[[Job], None] | None = None) -> Job:
    """Process every item not yet finished, saving progress after each; honours stop requests."""
    job = Job.objects.get(pk=job_id)
    handler = HANDLERS[job.kind]
    items = [str(i) for i in handler.items(job)]
    job.total = len(items)
    job.state = Job.State.RUNNING
    job.save(update_fields=["total", "state", "updated_at"])
    try:
        for item in items:
            if job.results.get(item) == "ok":
                continue
            if Job.objects.filter(pk=job.pk, stop_requested=True).exists():
                job.state = Job.State.STOPPED
                break
            try:
                handler.process(job, item)
                job.results[item] = "ok"
            except RecordsError as exc:
                job.results[item] = exc.message
            job.done = sum(1 for v in job.results.values() if v == "ok")
            job.failed = len(job.results) - job.done
            job.save(update_fields=["results", "done", "failed", "updated_at"])
            if progress is not None:
                progress(job)
        else:
            job.state = Job.State.DONE
    except Exception as exc:  # an unexpected fault: keep progress, mark failed, retry by resuming
        job.state = Job.State.FAILED
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
        job.save(update_fields=["state", "error", "updated_at"])
        raise
    job.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=None,
        action="job.finish",
        object_type="job",
        object_id=job.pk,
        changes={"state": job.state, "done": job.done, "failed": job.failed},
    )
    return job
