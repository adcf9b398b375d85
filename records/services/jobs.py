"""Background jobs: create, run item by item with progress, stop, resume.

A job handler is registered per kind: `items(job)` lists the item ids (strings) and
`process(job, item_id)` does one item in its own transaction, raising RecordsError with a
reason when that item cannot be done. Finished items are remembered in `job.results`, so a
resumed or retried job never does an item twice (no duplicate numbers or documents); a handler
also recognises an item it finished just before a crash, before its result was saved.

Crashes: while a job runs, its process writes a heartbeat every few seconds (a thread, so a long
item keeps it alive). A job still "running" without a heartbeat for RECTORATE_JOB_STALE_SECONDS
lost its process; :func:`jobs_fail_stale` marks it failed and resumable. It runs on every read of
a job (the pages that show one) and periodically in the worker (`records.tasks.fail_stale_jobs`).

Stop: the flag is read at every item boundary, so a stop takes effect when the current item ends.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
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
    from records.tasks import run_job  # cycle: records.tasks runs the job service (the declared seam)

    run_job.enqueue(job_id)


def _run_items(
    job: Job, handler: JobHandler, items: list[str], progress: Callable[[Job], None] | None
) -> None:
    for item in items:
        if job.results.get(item) == "ok":
            continue
        if Job.objects.filter(pk=job.pk, stop_requested=True).exists():  # the item boundary
            job.state = Job.State.STOPPED
            return
        try:
            handler.process(job, item)
            job.results[item] = "ok"
        except RecordsError as exc:
            job.results[item] = exc.message
        job.done = sum(1 for v in job.results.values() if v == "ok")
        job.failed = len(job.results) - job.done
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["results", "done", "failed", "heartbeat_at", "updated_at"])
        if progress is not None:
            progress(job)
    job.state = Job.State.DONE


def job_request_stop(*, job: Job, by: Any) -> None:
    """Ask a running job to stop after its current item; what was done stays done."""
    Job.objects.filter(pk=job.pk).update(stop_requested=True)
    audit_record(actor=by, action="job.stop", object_type="job", object_id=job.pk)


def job_resume(*, job: Job, by: Any) -> None:
    """Run a stopped or failed job again; finished items are skipped."""
    Job.objects.filter(pk=job.pk).update(stop_requested=False, state=Job.State.PENDING)
    audit_record(actor=by, action="job.resume", object_type="job", object_id=job.pk)
    transaction.on_commit(lambda: _enqueue(job.pk))


def heartbeat_seconds() -> float:
    """How often a running job's process says it is alive."""
    return float(getattr(settings, "RECTORATE_JOB_HEARTBEAT_SECONDS", 5))


def stale_seconds() -> float:
    """How long a running job may go without a heartbeat before it counts as lost."""
    return float(getattr(settings, "RECTORATE_JOB_STALE_SECONDS", 60))


class _Heartbeat:
    """A thread that stamps the job's heartbeat while this process runs it (with its own connection)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        # Inside a caller's transaction (tests run jobs inline in theirs) another connection would
        # neither see the job nor get the write lock: the per-item stamps are the heartbeat then.
        if not connection.in_atomic_block:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_seconds()):
                Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # noqa: S110 - a missed beat only makes the job look stale sooner
            pass
        finally:
            connection.close()


def jobs_fail_stale(*, pk: int | None = None, now: dt.datetime | None = None) -> list[int]:
    """Mark running jobs whose process stopped beating as failed and resumable; their ids.

    With `pk`, only that job is checked (on read). Progress stays: a resumed job skips finished items.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=stale_seconds())
    candidates = Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=cutoff)
    if pk is not None:
        candidates = candidates.filter(pk=pk)
    failed: list[int] = []
    for job in candidates.only("pk", "heartbeat_at"):
        message = _(
            "The process running this job stopped (last sign of life %(time)s). What was done is kept; "
            "resume the job to finish it."
        ) % {"time": timezone.localtime(job.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S")}
        with transaction.atomic():
            updated = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, heartbeat_at__lt=cutoff).update(
                state=Job.State.FAILED, error=message
            )
            if updated:
                audit_record(
                    actor=None,
                    action="job.abandoned",
                    object_type="job",
                    object_id=job.pk,
                    changes={"heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None},
                )
                failed.append(job.pk)
    return failed


def job_run(job_id: int, *, progress: Callable[[Job], None] | None = None) -> Job:
    """Process every item not yet finished, saving progress after each; honours stop requests."""
    job = Job.objects.get(pk=job_id)
    handler = HANDLERS[job.kind]
    items = [str(i) for i in handler.items(job)]
    job.total = len(items)
    job.state = Job.State.RUNNING
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["total", "state", "heartbeat_at", "updated_at"])
    try:
        with _Heartbeat(job.pk):
            _run_items(job, handler, items, progress)
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
