"""Signing from the back office: what a user may sign now, and batch signing as a resumable job.

Where the passphrase lives (never in the database)
--------------------------------------------------
A batch is a Job of kind ``batch_sign`` whose row holds only the ids of the selected documents
(``params["documents"]``); its per-item results make a resumed batch skip what was signed. The
passphrase is checked against the key file when the batch starts, then held in this process's
memory (``_PASSPHRASES``, keyed by job id) while the web process runs the job in a background
thread (inline when the task backend runs tasks immediately, as in tests). When the run ends —
done, stopped or failed — the passphrase is forgotten. So:

- Stop asks the job to finish its current document and end; the passphrase is dropped.
- Resume asks the user for the passphrase again and runs the remaining documents.
- The task worker never runs these jobs: the batch is never enqueued. If it ever picked one up
  (or the web process restarted mid-batch) the handler finds no passphrase in memory, the job
  ends as failed with "enter the passphrase again", and Resume continues it.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from records.errors import NotFoundOrForbidden, RecordsError
from records.lifecycle import State
from records.models import Document, Job, Signature
from records.permissions import has_role
from records.selectors.signature import documents_to_sign
from records.services import signature
from records.services.audit import audit_record
from records.services.jobs import (
    JobHandler,
    job_create,
    job_request_stop,
    job_run,
    jobs_fail_stale,
    register_job_handler,
)
from records.services.signature import route_progress
from signing import api as signing_api
from signing.credentials import load_official
from signing.errors import SigningCapabilityError

KIND = "batch_sign"
MAX_BATCH = 1000


class _Held:
    """A passphrase held for one run of one job (so an ending run never drops the next run's)."""

    def __init__(self, passphrase: str) -> None:
        self.passphrase = passphrase

    def __repr__(self) -> str:
        return "<passphrase>"


_PASSPHRASES: dict[int, _Held] = {}
_LOCK = threading.Lock()


class PassphraseNeeded(Exception):
    """The batch runs without its passphrase in memory (worker or restart): it must be resumed."""


def may_sign_now(user: Any, document: Document) -> bool:
    """True when the document waits for a signature of a step the user holds (with scope)."""
    if document.state != State.SIGNING:
        return False
    step = route_progress(document).next_step
    return step is not None and has_role(user, {step.role}, document.org_path)


def _check_passphrase(user: Any, passphrase: str) -> None:
    """Open the user's key once, so a wrong passphrase is refused before anything starts."""
    if not passphrase:
        raise RecordsError("passphrase_required", _("Enter the passphrase of your signing key."))
    try:
        load_official(signing_api.pki_dir(), user.get_username(), passphrase).close()
    except SigningCapabilityError as exc:
        raise RecordsError("signing_refused", "%(error)s", error=str(exc)) from exc


def batch_sign_start(*, by: Any, document_ids: list[int], passphrase: str) -> Job:
    """Check the passphrase, keep the selected documents the user may sign now, and run the batch."""
    ids = sorted({int(i) for i in document_ids})
    if not ids:
        raise RecordsError("nothing_selected", _("Select at least one document to sign."))
    if len(ids) > MAX_BATCH:
        raise RecordsError(
            "batch_too_large", _("At most %(max)s documents can be signed in one batch."), max=MAX_BATCH
        )
    signable = list(documents_to_sign(user=by).filter(pk__in=ids).values_list("pk", flat=True))
    if len(signable) != len(ids):
        raise RecordsError(
            "not_your_step",
            _("%(count)s of the selected documents are not waiting for your signature."),
            count=len(ids) - len(signable),
        )
    _check_passphrase(by, passphrase)
    job = job_create(kind=KIND, by=by, params={"documents": signable}, start=False)
    _launch(job.pk, passphrase)
    return job


def batch_job_get(*, user: Any, pk: int | str) -> Job:
    """A batch-signing job of this user (absent and someone else's are not told apart)."""
    job = None
    if getattr(user, "is_authenticated", False) and str(pk).isdigit():
        jobs_fail_stale(pk=int(pk))  # a batch whose process was killed becomes failed and resumable
        job = Job.objects.filter(pk=pk, kind=KIND, created_by_id=user.pk).first()
    if job is None:
        raise NotFoundOrForbidden("not_found", _("No such batch."))
    return job


def batch_sign_stop(*, job: Job, by: Any) -> None:
    """Stop the batch after the document being signed; what was signed stays signed."""
    if job.state not in (Job.State.PENDING, Job.State.RUNNING):
        raise RecordsError("not_running", _("This batch is not running."))
    job_request_stop(job=job, by=by)


def batch_sign_resume(*, job: Job, by: Any, passphrase: str) -> Job:
    """Run a stopped or failed batch again with the passphrase entered again; signed items are skipped."""
    if job.state not in (Job.State.STOPPED, Job.State.FAILED):
        raise RecordsError("not_stopped", _("Only a stopped or failed batch can be resumed."))
    _check_passphrase(by, passphrase)
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, state__in=[Job.State.STOPPED, Job.State.FAILED]).update(
            stop_requested=False, state=Job.State.PENDING, error=""
        )
        if not updated:
            raise RecordsError("not_stopped", _("Only a stopped or failed batch can be resumed."))
        audit_record(actor=by, action="job.resume", object_type="job", object_id=job.pk)
    _launch(job.pk, passphrase)
    job.refresh_from_db()
    return job


def _runs_inline() -> bool:
    """Tasks run at once (tests, development without a worker): run the batch inline as well."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


def _launch(job_id: int, passphrase: str) -> None:
    held = _Held(passphrase)
    with _LOCK:
        _PASSPHRASES[job_id] = held
    if _runs_inline():
        _run(job_id, held, thread=False)
    else:
        threading.Thread(target=_run, args=(job_id, held), kwargs={"thread": True}, daemon=True).start()


def _run(job_id: int, held: _Held, *, thread: bool) -> None:
    """Run the job, then forget its passphrase whatever happened."""
    try:
        job_run(job_id)
    except PassphraseNeeded:
        pass  # job_run marked the job failed; Resume asks for the passphrase again
    except Exception:
        if not thread:
            raise
    finally:
        with _LOCK:
            if _PASSPHRASES.get(job_id) is held:
                del _PASSPHRASES[job_id]
        if thread:
            connection.close()  # this thread's own connection


def _items(job: Job) -> list[str]:
    return [str(i) for i in job.params.get("documents", [])]


def _process(job: Job, item_id: str) -> None:
    """Sign one document of the batch with the passphrase held in memory."""

    with _LOCK:
        held = _PASSPHRASES.get(job.pk)
    if held is None:
        raise PassphraseNeeded(_("Enter the passphrase again to resume this batch."))
    document = Document.objects.filter(pk=int(item_id)).first()
    if document is None:
        raise RecordsError("not_found", _("The document no longer exists."))
    if Signature.objects.filter(
        document=document,
        version_id=document.current_version_id,
        signer=job.created_by,
        signed_at__gte=job.created_at,
        void=False,
    ).exists():
        return  # signed by this batch just before its process died, before the result was saved
    signature.document_sign(document=document, by=job.created_by, passphrase=held.passphrase)


register_job_handler(KIND, JobHandler(items=_items, process=_process, label="Batch signing"))
