"""Background tasks of the registry (django-tasks; the worker runs them, tests run them at once)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> dict[str, int | str]:
    """Run (or resume) a background job."""
    from records.services.jobs import job_run

    job = job_run(job_id)
    return {"state": job.state, "done": job.done, "failed": job.failed}
