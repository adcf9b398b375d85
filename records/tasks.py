"""Background tasks of the registry (django-tasks; the worker runs them, tests run them at once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from records.errors import RecordsError
from records.selectors.verification import documents_to_prepare_reports
from records.services.checkpoints import audit_checkpoint_take
from records.services.disposition import retention_review
from records.services.fixity import fixity_run
from records.services.jobs import job_run, jobs_fail_stale
from records.services.students import apply_due_status_changes
from records.services.verification import verification_reports_prepare


@task()
def run_job(job_id: int) -> dict[str, int | str]:
    """Run (or resume) a background job."""

    jobs_fail_stale()  # the worker checks for jobs whose process died whenever it starts one
    job = job_run(job_id)
    return {"state": job.state, "done": job.done, "failed": job.failed}


INTEGRITY_TASK = "records.tasks.integrity_run"


@task()
def integrity_run() -> dict[str, Any]:
    """Scheduled: seal a checkpoint of the audit chain and run one slice of the fixity check, then
    schedule the next run (RECTORATE_INTEGRITY_INTERVAL_MINUTES later) when the backend can defer.
    It also fails running jobs that stopped beating, so a killed batch becomes resumable even when
    nobody opens its page and no other job starts."""

    result: dict[str, Any] = {}
    try:
        result["stale_jobs"] = jobs_fail_stale()
        try:
            checkpoint = audit_checkpoint_take(only_if_changed=True)
            result["checkpoint"] = checkpoint.seq if checkpoint is not None else None
        except RecordsError as exc:  # a broken chain is not sealed; the fixity slice still runs
            result["checkpoint_error"] = exc.message
        state = fixity_run()  # alerts (audit event, email to ADMINS) when a pass finds problems
        result["fixity_ok"] = state.completed_ok
    finally:
        _schedule_next()  # a failing run must not end the schedule
    return result


def _schedule_next() -> bool:
    if not default_task_backend.supports_defer:
        return False  # the immediate backend of the tests runs a task once, at once
    minutes = int(getattr(settings, "RECTORATE_INTEGRITY_INTERVAL_MINUTES", 60))
    integrity_run.using(run_after=timezone.now() + dt.timedelta(minutes=minutes)).enqueue()
    return True


def integrity_schedule() -> bool:
    """Make sure one integrity run is waiting for the worker (True when one was enqueued now)."""
    if default_task_backend.supports_defer:
        from django_tasks_db.models import DBTaskResult  # a model: this module loads before the app registry

        if DBTaskResult.objects.filter(task_path=INTEGRITY_TASK, status__in=["READY", "RUNNING"]).exists():
            return False
    integrity_run.enqueue()
    return True


@task()
def apply_due_status_changes_daily() -> dict[str, int | str]:
    """Apply the orders coming into force today, then queue the next run for 00:05 tomorrow in the
    university's time zone (on a backend that can defer). `registry apply-due` does the same by hand."""

    students = apply_due_status_changes()
    next_run = schedule_daily_status_task()
    return {"students": students, "next_run": next_run.isoformat() if next_run else ""}


def schedule_daily_status_task() -> dt.datetime | None:
    """Queue the daily task for 00:05 tomorrow unless a run is already waiting; None on a backend
    that runs tasks at once (tests) or cannot defer them."""
    backend = apply_due_status_changes_daily.get_backend()
    if not backend.supports_defer:
        return None
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    next_run = dt.datetime.combine(tomorrow, dt.time(0, 5), tzinfo=timezone.get_current_timezone())
    from django_tasks_db.models import DBTaskResult  # a model: this module loads before the app registry

    waiting = DBTaskResult.objects.filter(
        task_path=apply_due_status_changes_daily.module_path, status="READY"
    )
    if waiting.exists():  # one run queued is enough: the chain goes on from it
        queued = waiting.order_by("run_after").values_list("run_after", flat=True).first()
        return timezone.localtime(queued) if queued else next_run
    apply_due_status_changes_daily.using(run_after=next_run).enqueue()
    return next_run


@task()
def fail_stale_jobs() -> list[int]:
    """Mark running jobs whose process stopped beating as failed and resumable (run periodically)."""

    return jobs_fail_stale()


@task()
def retention_review_daily() -> dict[str, int | str]:
    """The disposition review: count what reached the end of its retention today (an audit event the
    archive page shows), then queue the next run for 00:20 tomorrow on a backend that can defer. It
    destroys nothing: only a registered disposition act does."""
    result: dict[str, int | str] = dict(retention_review())
    backend = retention_review_daily.get_backend()
    if backend.supports_defer:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(task_path=retention_review_daily.module_path, status="READY")
        if not waiting.exists():
            tomorrow = timezone.localdate() + dt.timedelta(days=1)
            next_run = dt.datetime.combine(tomorrow, dt.time(0, 20), tzinfo=timezone.get_current_timezone())
            retention_review_daily.using(run_after=next_run).enqueue()
            result["next_run"] = next_run.isoformat()
    return result


@task()
def prepare_verification_reports(document_id: int) -> dict[str, int | str]:
    """After a document's signing or archive timestamping completed: its verification reports for
    today, so nobody waits for the validation; then make sure the daily warm-up is queued."""
    prepared = verification_reports_prepare(document_ids=[document_id])
    next_run = schedule_verification_warmup()
    return {"prepared": prepared, "next_run": next_run.isoformat() if next_run else ""}


# Reports are kept per day (signing.api.verify: the UTC date): the warm-up runs just after it turns.
WARMUP_LOOKBACK = dt.timedelta(days=7)


@task()
def verification_warmup_daily() -> dict[str, int | str]:
    """Today's verification reports of the documents viewed, registered or re-timestamped in the last
    week (the difference analysis of their bytes is kept, so each costs the signature checks only),
    then queue the next run for just after the next UTC midnight."""
    ids = documents_to_prepare_reports(since=timezone.now() - WARMUP_LOOKBACK)
    prepared = verification_reports_prepare(document_ids=ids)
    next_run = schedule_verification_warmup()
    return {"prepared": prepared, "next_run": next_run.isoformat() if next_run else ""}


def schedule_verification_warmup() -> dt.datetime | None:
    """Queue the daily warm-up for 00:02 UTC tomorrow unless one is waiting; None on a backend that
    runs tasks at once (tests) or cannot defer them."""
    backend = verification_warmup_daily.get_backend()
    if not backend.supports_defer:
        return None
    from django_tasks_db.models import DBTaskResult  # a model: this module loads before the app registry

    waiting = DBTaskResult.objects.filter(task_path=verification_warmup_daily.module_path, status="READY")
    queued = waiting.order_by("run_after").values_list("run_after", flat=True).first()
    if queued is not None:
        return queued
    tomorrow = timezone.now().date() + dt.timedelta(days=1)
    next_run = dt.datetime.combine(tomorrow, dt.time(0, 2), tzinfo=dt.UTC)
    verification_warmup_daily.using(run_after=next_run).enqueue()
    return next_run
