"""Background tasks of the registry (django-tasks; the worker runs them, tests run them at once)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def run_job(job_id: int) -> dict[str, int | str]:
    """Run (or resume) a background job."""
    from records.services.jobs import job_run

    job = job_run(job_id)
    return {"state": job.state, "done": job.done, "failed": job.failed}


@task()
def apply_due_status_changes_daily() -> dict[str, int | str]:
    """Apply the orders coming into force today, then queue the next run for 00:05 tomorrow in the
    university's time zone (on a backend that can defer). `registry apply-due` does the same by hand."""
    from records.services.students import apply_due_status_changes

    students = apply_due_status_changes()
    next_run = schedule_daily_status_task()
    return {"students": students, "next_run": next_run.isoformat() if next_run else ""}


def schedule_daily_status_task() -> dt.datetime | None:
    """Queue the daily task for 00:05 tomorrow unless a run is already waiting; None on a backend
    that runs tasks at once (tests) or cannot defer them."""
    from django.utils import timezone

    backend = apply_due_status_changes_daily.get_backend()
    if not backend.supports_defer:
        return None
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    next_run = dt.datetime.combine(tomorrow, dt.time(0, 5), tzinfo=timezone.get_current_timezone())
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=apply_due_status_changes_daily.module_path, status="READY"
    )
    if waiting.exists():  # one run queued is enough: the chain goes on from it
        queued = waiting.order_by("run_after").values_list("run_after", flat=True).first()
        return timezone.localtime(queued) if queued else next_run
    apply_due_status_changes_daily.using(run_after=next_run).enqueue()
    return next_run
