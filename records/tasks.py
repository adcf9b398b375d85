"""Background tasks of the registry (django-tasks; the worker runs them, tests run them at once)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> dict[str, int | str]:
    """Run (or resume) a background job."""
    from records.services.jobs import job_run, jobs_fail_stale

    jobs_fail_stale()  # the worker checks for jobs whose process died whenever it starts one
    job = job_run(job_id)
    return {"state": job.state, "done": job.done, "failed": job.failed}


@task()
def fail_stale_jobs() -> list[int]:
    """Mark running jobs whose process stopped beating as failed and resumable (run periodically)."""
    from records.services.jobs import jobs_fail_stale

    return jobs_fail_stale()
