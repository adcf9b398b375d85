"""The demo's academic history as a background job, so ./scripts/run serves before it is done.

``demo_history_start`` enqueues one ``demo_history`` job whose items are the academic years of the
history, then ``signed`` (a transcript signed through its route and a sealed certificate of
study), then ``reports`` (the last year's registered reports, records.demo.reports), then ``journals`` (the
term's journals and РК1 statements, past coursework and practice statements, records.demo.journal). The worker registers one year per item (records.demo.academic.AcademicHistory, committing
in short pieces); the dashboard shows its progress (records.admin.panels.DemoHistoryPanel).
The history is a deterministic sequence: after each year its state (the random generator, the
counters) is kept in the job (``params["checkpoint"]``) in the same transaction as the year's last
documents, so a job stopped or a worker killed goes on from the last year done, registering the
same documents as a run that never stopped and none twice. A worker killed before the first year
was checkpointed cannot resume (the history has begun with no state kept) and says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from records.demo.academic import LAST_YEAR, AcademicHistory, academic_history_years
from records.demo.archive import seed_archive
from records.demo.documents import seed_signed_academic
from records.demo.journal import seed_journals
from records.demo.reports import seed_load_report, seed_reports
from records.demo.teaching import seed_teaching
from records.errors import RecordsError
from records.models import Document, Job
from records.services.jobs import JobHandler, job_create, register_job_handler

JOB_KIND = "demo_history"
SIGNED_ITEM = "signed"
REPORTS_ITEM = "reports"
TEACHING_ITEM = "teaching"
JOURNALS_ITEM = "journals"
ARCHIVE_ITEM = "archive"

# The history being registered by this process, per job: years are items of one run of the job.
_RUNNING: dict[int, Iterator[int]] = {}
CHECKPOINT = "checkpoint"  # job.params key: the history's state after its last year done


def _checkpoint(job_id: int, state: dict[str, Any]) -> None:
    """Keep the history's state after a year (called inside that year's last transaction)."""
    job = Job.objects.select_for_update().get(pk=job_id)
    Job.objects.filter(pk=job_id).update(params={**job.params, CHECKPOINT: state})


def demo_history_start(*, seed: int = 2026, last_year: int = LAST_YEAR) -> Job | None:
    """Enqueue the demo history once (None when it is registered or already queued)."""
    if Document.objects.filter(kind="academic_policy").exists():
        return None
    if Job.objects.filter(kind=JOB_KIND).exclude(state=Job.State.FAILED).exists():
        return None
    return job_create(kind=JOB_KIND, by=None, params={"seed": seed, "last_year": last_year})


def demo_history_job() -> Job | None:
    """The latest demo history job, for the dashboard."""
    return Job.objects.filter(kind=JOB_KIND).order_by("-id").first()


def _items(job: Job) -> list[str]:
    years = academic_history_years(last_year=int(job.params.get("last_year", LAST_YEAR)))
    return [
        *(str(year) for year in years),
        SIGNED_ITEM,
        REPORTS_ITEM,
        TEACHING_ITEM,
        JOURNALS_ITEM,
        ARCHIVE_ITEM,
    ]


def _process(job: Job, item: str) -> None:
    if item == ARCHIVE_ITEM:
        seed_archive()
        return
    if item == TEACHING_ITEM:
        seed_teaching()
        return
    if item == JOURNALS_ITEM:
        seed_journals(seed=int(job.params.get("seed", 2026)))
        seed_load_report()
        return
    if item == REPORTS_ITEM:
        seed_reports()
        return
    if item == SIGNED_ITEM:
        _RUNNING.pop(job.pk, None)

        seed_signed_academic()
        return
    years = _RUNNING.get(job.pk)
    if years is None:
        # A new process (the worker restarted, or the job was stopped and resumed): go on from the
        # checkpoint of the last year done, which commits with that year's last documents.
        saved = Job.objects.filter(pk=job.pk).values_list("params", flat=True).first() or {}
        resume = saved.get(CHECKPOINT)
        if resume is not None and int(resume["year"]) >= int(item):
            return  # done and checkpointed before the process ended
        if resume is None and Document.objects.filter(kind="academic_policy").exists():
            raise RecordsError(
                "demo_history_interrupted",
                _("The demo history was interrupted and cannot be resumed; seed a fresh database."),
            )
        history = AcademicHistory(
            seed=int(job.params.get("seed", 2026)),
            last_year=int(job.params.get("last_year", LAST_YEAR)),
            signed=bool(job.params.get("signed", True)),
            resume=resume,
            checkpoint=lambda state: _checkpoint(job.pk, state),
        )
        years = _RUNNING[job.pk] = history.years()
    if next(years, None) != int(item):
        _RUNNING.pop(job.pk, None)
        raise RecordsError(
            "demo_history_interrupted",
            _("The demo history was interrupted and cannot be resumed; seed a fresh database."),
        )


register_job_handler(JOB_KIND, JobHandler(items=_items, process=_process, label="Demo history"))
