"""The demo's academic history as a background job, so ./scripts/run serves before it is done.

``demo_history_start`` enqueues one ``demo_history`` job whose items are the academic years of the
history, then ``signed`` (a transcript signed through its route and a sealed certificate of
study), then ``reports`` (the last year's registered reports, records.demo.reports), then ``journals`` (the
term's journals and РК1 statements, past coursework and practice statements, records.demo.journal). The worker registers one year per item (records.demo.academic.AcademicHistory, committing
in short pieces); the dashboard shows its progress (records.admin.panels.DemoHistoryPanel).
The history is a deterministic sequence of short steps (one group's orders, one term's drafts, ...;
records.demo.academic.AcademicHistory): after each step its state (the random generator, the
counters, the term's drafts) is kept in the job (``params["checkpoint"]``) in the same transaction
as the step's documents, and the routes' transitions and signatures are each detectably done, so a
worker killed anywhere (SIGKILL, power loss) goes on from the last step done, registering the same
documents as a run that never stopped and none twice. SIGTERM or Ctrl-C of the worker stops the
history at the next step or document boundary (the job is left stopped). ``demo_history_start``
(every start of ./scripts/run, before the workers) resumes a history left stopped, failed or
running by a process that is gone.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from records.demo.academic import LAST_YEAR, AcademicHistory, HistoryInterrupted, academic_history_years
from records.demo.archive import seed_archive
from records.demo.documents import seed_signed_academic
from records.demo.journal import seed_journals
from records.demo.reports import seed_load_report, seed_reports
from records.demo.teaching import seed_teaching
from records.errors import RecordsError
from records.models import Document, Job
from records.services.jobs import (
    JobHandler,
    heartbeat_seconds,
    job_create,
    job_resume,
    jobs_fail_stale,
    register_job_handler,
    stale_seconds,
)

JOB_KIND = "demo_history"
SIGNED_ITEM = "signed"
REPORTS_ITEM = "reports"
TEACHING_ITEM = "teaching"
JOURNALS_ITEM = "journals"
ARCHIVE_ITEM = "archive"

# The history being registered by this process, per job: years are items of one run of the job.
_RUNNING: dict[int, Iterator[int]] = {}
CHECKPOINT = "checkpoint"  # job.params key: the history's state after its last step done
YEARS_ONLY = "years_only"  # job.params key: only the academic years (a small history for tests)
# Set by SIGTERM/SIGINT while this process registers the history: stop at the next step boundary.
_STOP = threading.Event()


def _checkpoint(job_id: int, state: dict[str, Any]) -> None:
    """Keep the history's state after a year (called inside that year's last transaction)."""
    job = Job.objects.select_for_update().get(pk=job_id)
    Job.objects.filter(pk=job_id).update(params={**job.params, CHECKPOINT: state})


def demo_history_start(*, seed: int = 2026, last_year: int = LAST_YEAR) -> Job | None:
    """Enqueue the demo history once, or resume the one left unfinished (None when it is registered,
    queued, or running in a live process)."""
    job = demo_history_job()
    if job is not None and job.state != Job.State.DONE:
        return demo_history_resume(job)
    if job is not None or Document.objects.filter(kind="academic_policy").exists():
        return None
    return job_create(kind=JOB_KIND, by=None, params={"seed": seed, "last_year": last_year})


def demo_history_resume(job: Job) -> Job | None:
    """Queue `job` again when it was stopped, failed, or is "running" in a process that is gone (its
    heartbeat does not move for two beats); None when it is queued or alive."""
    if job.state == Job.State.RUNNING:
        beat = job.heartbeat_at
        wait = (beat.timestamp() + 2 * heartbeat_seconds()) - timezone.now().timestamp() if beat else 0
        if wait > 0:
            time.sleep(wait)
        job.refresh_from_db()
        if job.state == Job.State.RUNNING and job.heartbeat_at == beat:  # nobody beats for it: lost
            jobs_fail_stale(pk=job.pk, now=timezone.now() + dt.timedelta(seconds=stale_seconds()))
            job.refresh_from_db()
    if job.state not in (Job.State.FAILED, Job.State.STOPPED):
        return None
    job_resume(job=job, by=None)
    return job


def demo_history_job() -> Job | None:
    """The latest demo history job, for the dashboard."""
    return Job.objects.filter(kind=JOB_KIND).order_by("-id").first()


def _items(job: Job) -> list[str]:
    years = academic_history_years(last_year=int(job.params.get("last_year", LAST_YEAR)))
    if job.params.get(YEARS_ONLY):
        return [str(year) for year in years]
    return [
        *(str(year) for year in years),
        SIGNED_ITEM,
        REPORTS_ITEM,
        TEACHING_ITEM,
        JOURNALS_ITEM,
        ARCHIVE_ITEM,
    ]


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """While the history runs in this (main) thread, SIGTERM and SIGINT ask it to stop at the next
    step boundary; the worker's own handler still runs (it ends the worker after this task)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {
        signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)
    }

    def handler(signum: int, frame: FrameType | None) -> None:
        already = _STOP.is_set()
        _STOP.set()
        before = previous[signum]
        if callable(before) and (already or before is not signal.default_int_handler):
            before(signum, frame)  # the worker's graceful shutdown; a second Ctrl-C interrupts

    for signum in previous:
        signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before)


def _process(job: Job, item: str) -> None:
    try:
        with _stop_on_signals():
            _process_item(job, item)
    except (HistoryInterrupted, KeyboardInterrupt, SystemExit):
        # Stopped at a step boundary, or (a second Ctrl-C, the worker's forced exit) in the middle
        # of a step, whose transaction is rolled back: the last step done is the state to go on from.
        _RUNNING.pop(job.pk, None)
        _STOP.clear()
        Job.objects.filter(pk=job.pk).update(state=Job.State.STOPPED, stop_requested=False)
        raise


def _process_item(job: Job, item: str) -> None:
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
        # checkpoint of the last step done, which commits with that step's documents.
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
            max_groups=job.params.get("max_groups"),
            resume=resume,
            checkpoint=lambda state: _checkpoint(job.pk, state),
            should_stop=_STOP.is_set,
        )
        years = _RUNNING[job.pk] = history.years()
    if next(years, None) != int(item):
        _RUNNING.pop(job.pk, None)
        raise RecordsError(
            "demo_history_interrupted",
            _("The demo history was interrupted and cannot be resumed; seed a fresh database."),
        )
    if item == [year for year in _items(job) if year.isdigit()][-1]:  # the last year: nothing left to hold
        _RUNNING.pop(job.pk, None)


register_job_handler(JOB_KIND, JobHandler(items=_items, process=_process, label="Demo history"))
