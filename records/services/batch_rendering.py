"""Batch rendering as a background job ("batch_render"): items are document ids.

Two modes (``job.params["mode"]``):

- ``"pdf"`` renders the archival PDF of every approved document whose current frozen version has
  none yet. A version that already has its PDF counts as done, so re-running the job changes
  nothing; each item renders outside any transaction and stores in one short transaction, so a
  failure never leaves a half-rendered version and never holds the write lock.
- ``"preview"`` renders each document's current version without storing anything (e.g. to check
  every draft of a kind against a newly activated template); a failure is recorded as the reason.

Who may start one: administrators and registrars (``records.services.templates``); the console
operator through ``manage.py templates render-batch``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from records.errors import NotFoundOrForbidden, RecordsError
from records.kinds.base import get_kind
from records.lifecycle import State
from records.models import Document, Job
from records.permissions import may_manage_templates
from records.selectors.document import documents_visible_to
from records.services.jobs import JobHandler, job_create, jobs_fail_stale, register_job_handler
from records.services.rendering import document_render_pdf, version_render

JOB_KIND = "batch_render"
MODES = ("pdf", "preview")
MAX_ITEMS = 100_000


def _items(job: Job) -> Iterable[str]:
    return [str(i) for i in job.params.get("document_ids", [])]


def _render_pdf(job: Job, document: Document) -> None:
    # Rendered outside any transaction, stored in a short one; an already rendered version is left alone.
    document_render_pdf(document=document, by=None, job=job.pk)


def _process(job: Job, item: str) -> None:
    document = (
        Document.objects.select_related("current_version", "org_unit", "subject")
        .filter(pk=int(item) if item.isdigit() else -1)
        .first()
    )
    if document is None or document.current_version_id is None:
        raise RecordsError("not_found", _("Document %(id)s not found."), id=item)
    if job.params.get("mode") == "preview":
        version = document.current_version
        assert version is not None
        version_render(document=document, version=version, store=False)
    else:
        _render_pdf(job, document)


register_job_handler(JOB_KIND, JobHandler(items=_items, process=_process, label="Batch rendering"))


def batch_render_start(
    *, by: Any, mode: str = "pdf", kind: str = "", document_ids: list[int] | None = None, start: bool = True
) -> Job:
    """Create a batch rendering job over `document_ids` (or every document of `kind` the mode covers).

    `by` None is the console operator; a user must manage templates and only gets documents they see.
    """
    if by is not None and not may_manage_templates(by):
        raise RecordsError("forbidden", _("Only administrators and registrars may start batch rendering."))
    if mode not in MODES:
        raise RecordsError("invalid_mode", _("Unknown rendering mode %(mode)s."), mode=mode[:20])
    queryset = documents_visible_to(user=by) if by is not None else Document.objects.all()
    if document_ids is not None:
        queryset = queryset.filter(pk__in=document_ids)
    else:
        get_kind(kind)
        queryset = queryset.filter(kind=kind)
        if mode == "pdf":
            queryset = queryset.exclude(registry_number="").filter(current_version__pdf_blob__isnull=True)
        else:
            queryset = queryset.filter(state=State.DRAFT)
    ids = list(queryset.order_by("id").values_list("id", flat=True)[:MAX_ITEMS])
    if not ids:
        raise RecordsError("nothing_to_do", _("There are no documents to render."))
    return job_create(
        kind=JOB_KIND, by=by, params={"mode": mode, "kind": kind, "document_ids": ids}, start=start
    )


def render_job_get(*, user: Any, pk: int) -> Job:
    """A batch rendering job, for its creator and template managers."""
    jobs_fail_stale(pk=pk)  # a job whose worker was killed becomes failed and resumable
    job = Job.objects.filter(pk=pk, kind=JOB_KIND).first()
    if job is None or not (job.created_by_id == getattr(user, "pk", None) or may_manage_templates(user)):
        raise NotFoundOrForbidden("not_found", _("Job not found."))
    return job


def render_job_status(job: Job) -> dict[str, Any]:
    """What the job page polls: state, counts, percent and the failures."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(Job.State(job.state).label),
        "total": job.total,
        "done": job.done,
        "failed": job.failed,
        "percent": job.percent if job.total or job.state == Job.State.DONE else 0,
        "finished": job.state in (Job.State.DONE, Job.State.FAILED, Job.State.STOPPED),
        "failures": {k: v for k, v in job.results.items() if v != "ok"},
    }
