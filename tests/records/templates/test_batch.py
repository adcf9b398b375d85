"""Batch rendering: a background job with progress, idempotent, never a half-rendered version."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from records.errors import RecordsError
from records.models import Job, Role, Version
from records.services.batch_rendering import batch_render_start
from tests.records.admin.conftest import events_after, last_event_id, make_draft
from tests.records.templates.conftest import approved_order


def without_pdf(document: Any) -> Version:
    """Simulate a document approved before rendering existed: its current version has no PDF."""
    Version.objects.filter(pk=document.current_version_id).update(
        pdf_blob=None, docx_blob=None, template_version=""
    )
    return Version.objects.get(pk=document.current_version_id)


def test_a_batch_renders_missing_pdfs_to_100_percent_and_is_idempotent(
    staff: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    documents = [approved_order(staff, org, title=f"Приказ {i}") for i in range(2)]
    rendered = Version.objects.get(pk=documents[1].current_version_id)
    original_pdf = rendered.pdf_blob_id
    without_pdf(documents[0])
    draft = make_draft(staff, org)

    with django_capture_on_commit_callbacks(execute=True):
        job = batch_render_start(
            by=staff[Role.REGISTRAR], mode="pdf", document_ids=[documents[0].pk, documents[1].pk, draft.pk]
        )
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.failed, job.percent) == (Job.State.DONE, 3, 2, 1, 100)
    assert "not approved" in job.results[str(draft.pk)]
    fixed = Version.objects.get(pk=documents[0].current_version_id)
    assert fixed.pdf_blob_id is not None and fixed.template_version.startswith("default:")
    rendered.refresh_from_db()
    assert rendered.pdf_blob_id == original_pdf  # already rendered: left alone

    client.force_login(staff[Role.REGISTRAR])
    status = client.get(f"/admin/templates/jobs/{job.pk}/status.json").json()
    assert (status["percent"], status["done"], status["failed"], status["finished"]) == (100, 2, 1, True)
    page = client.get(f"/admin/templates/jobs/{job.pk}/")
    assert page.status_code == 200 and 'max="100" value="100"' in page.content.decode()

    before = last_event_id()
    with django_capture_on_commit_callbacks(execute=True):
        again = batch_render_start(by=staff[Role.REGISTRAR], mode="pdf", document_ids=[documents[0].pk])
    again.refresh_from_db()
    assert (again.state, again.done, again.failed) == (Job.State.DONE, 1, 0)
    assert "document.render" not in events_after(before)
    assert Version.objects.get(pk=documents[0].current_version_id).pdf_blob_id == fixed.pdf_blob_id


def test_a_failing_render_stores_nothing(
    staff: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    document = approved_order(staff, org)
    without_pdf(document)
    from records.services import rendering

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise rendering.DocTemplateError("converter died")

    monkeypatch.setattr("records.services.rendering.render_document", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = batch_render_start(by=staff[Role.ADMINISTRATOR], mode="pdf", kind="internal_order")
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == (Job.State.DONE, 0, 1)
    assert "converter died" in job.results[str(document.pk)]
    version = Version.objects.get(pk=document.current_version_id)
    assert (version.pdf_blob_id, version.docx_blob_id, version.template_version) == (None, None, "")


def test_preview_mode_renders_drafts_without_storing(
    staff: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = make_draft(staff, org)
    with django_capture_on_commit_callbacks(execute=True):
        job = batch_render_start(by=staff[Role.REGISTRAR], mode="preview", kind="internal_order")
    job.refresh_from_db()
    assert (job.state, job.done, job.failed, job.percent) == (Job.State.DONE, 1, 0, 100)
    assert Version.objects.get(document=draft).pdf_blob_id is None


@pytest.mark.parametrize("who", [Role.TEACHER, Role.DEAN])
def test_only_template_managers_start_batches_and_see_their_jobs(
    who: str, staff: dict[str, Any], org: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_draft(staff, org)
    with pytest.raises(RecordsError):
        batch_render_start(by=staff[who], mode="preview", kind="internal_order")
    with django_capture_on_commit_callbacks(execute=True):
        job = batch_render_start(by=staff[Role.REGISTRAR], mode="preview", kind="internal_order")
    before = last_event_id()
    client.force_login(staff[who])
    assert (
        client.post("/admin/templates/jobs/new/", {"kind": "internal_order", "mode": "preview"}).status_code
        == 403
    )
    assert client.get(f"/admin/templates/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/admin/templates/jobs/{job.pk}/status.json").status_code == 404
    assert events_after(before) == []
    assert Job.objects.count() == 1


def test_the_back_office_starts_a_job_and_opens_its_page(
    staff: dict[str, Any], org: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_draft(staff, org)
    client.force_login(staff[Role.ADMINISTRATOR])
    before = last_event_id()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/templates/jobs/new/", {"kind": "internal_order", "mode": "preview"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/templates/jobs/{job.pk}/"
    assert events_after(before) == ["job.create", "job.finish"]
    assert client.get(response["Location"]).status_code == 200


def test_the_cli_renders_a_batch_with_a_progress_bar(staff: dict[str, Any], org: Any) -> None:
    document = approved_order(staff, org)
    without_pdf(document)
    out, err = io.StringIO(), io.StringIO()
    call_command("templates", "render-batch", "--kind", "internal_order", stdout=out, stderr=err)
    assert "1 done, 0 failed" in out.getvalue()
    assert "100%" in err.getvalue()
    assert Version.objects.get(pk=document.current_version_id).pdf_blob_id is not None
