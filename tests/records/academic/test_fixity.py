"""`registry verify` and the scheduled fixity check: stored data, files, signed PDFs and projections
are checked against what they must be, and a change made behind the services is named."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from records.models import Blob, Document, IntegrityState, Person, Role, Signature, Version
from records.models.academic import GradeLine
from records.models.blob import blob_path, blob_storage
from records.services import fixity
from records.tasks import integrity_run
from tests.records.academic.conftest import bulk, bulk_order, enrollment, line, statement


@pytest.fixture
def registry(users: dict[str, Any], org: Any, students: list[Person], registered_doc: Document) -> Document:
    """Three enrolled students with a registered grade statement, and a signed registered order."""
    a, b, c = students
    for person in students:
        bulk_order(users, org, "enrollment", enrollment(person, org))
    return bulk(
        users,
        org,
        "grade_statement",
        statement(org, [line(a, 80, 80, 90), line(b, 60, 60, 30), line(c, 60, 60, 10)]),
    )


def _verify() -> tuple[dict[str, Any], int]:
    out = io.StringIO()
    try:
        call_command("registry", "verify", "--json", stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return json.loads(out.getvalue()), exc.returncode
    return json.loads(out.getvalue()), 0


def test_an_untouched_registry_verifies_with_counts(registry: Document) -> None:
    result, code = _verify()
    assert code == 0 and result["ok"] and result["problems"] == []
    counts = result["counts"]
    assert counts["pdfs"] == 1  # the signed order
    assert counts["versions"] == Version.objects.exclude(data_sha256="").count() >= 5  # none disposed here
    assert counts["blobs"] == Blob.objects.count() > 0
    assert counts["projections"] > 0


def test_a_registered_version_edited_in_the_database_is_named(registry: Document) -> None:
    version = registry.current_version
    assert version is not None
    edited = json.loads(json.dumps(version.data))
    edited["lines"][2]["exam"] = 95  # the failed exam becomes an excellent one
    Version.objects.filter(pk=version.pk).update(data=edited)
    result, code = _verify()
    assert code == 1
    assert registry.registry_number in result["problems"][0]
    assert "does not match its SHA-256" in result["problems"][0]
    with pytest.raises(CommandError) as info:
        call_command("registry", "verify", stdout=io.StringIO(), stderr=io.StringIO())
    assert registry.registry_number in str(info.value)


def test_a_changed_blob_file_is_named(registry: Document, registered_doc: Document) -> None:
    signature = Signature.objects.get(document=registered_doc)
    path = Path(blob_storage().path(blob_path(signature.pdf_blob_id)))
    content = bytearray(path.read_bytes())
    content[100:110] = b"0123456789"
    path.write_bytes(bytes(content))
    result, code = _verify()
    assert code == 1
    assert f"blob {signature.pdf_blob_id}: the stored file does not match its SHA-256" in result["problems"]
    assert any(p.startswith(registered_doc.registry_number) and "corrupt" in p for p in result["problems"])


def test_an_edited_projection_row_is_named(registry: Document) -> None:
    assert GradeLine.objects.filter(letter="FX").update(letter="A") == 1
    result, code = _verify()
    assert code == 1
    assert result["problems"][0].startswith(
        "records.GradeLine: 1 row(s) in the table but not produced by a replay"
    )


def test_the_scheduled_check_walks_in_slices_remembers_where_it_stopped_and_shows_on_the_ltv_page(
    registry: Document, monkeypatch: pytest.MonkeyPatch, staff: dict[str, Any]
) -> None:
    monkeypatch.setattr(fixity, "SLICE", {"versions": 2, "blobs": 2, "pdfs": 1})
    positions = []
    for _ in range(50):
        state = fixity.fixity_step()
        positions.append((state.version_after, state.blob_after, state.document_after))
        if state.completed_at is not None:
            break
    assert state.completed_ok is True, state.completed_problems
    # each slice continued where the previous one stopped: versions, then files, then signed PDFs
    assert positions == sorted(positions) and len(set(positions)) >= 4
    assert state.completed_counts["versions"] == Version.objects.exclude(data_sha256="").count()

    GradeLine.objects.filter(letter="FX").update(letter="A")
    for _ in range(50):
        integrity_run.enqueue()  # what the worker runs on its schedule
        state = IntegrityState.objects.get(pk=1)
        if state.pass_started_at is None:
            break
    assert state.completed_ok is False
    client = Client()
    client.force_login(staff[Role.AUDITOR])
    body = client.get("/admin/signing/ltv/").content.decode()
    assert 'data-fixity="problem"' in body
    assert "records.GradeLine: 1 row(s)" in body
    assert "data-checkpoint=" in body  # the integrity task sealed a checkpoint of the audit chain too


@pytest.mark.django_db
def test_the_scheduled_run_fails_a_job_whose_process_stopped_beating() -> None:
    """A killed batch becomes failed and resumable on the integrity tick, with nobody opening it."""
    import datetime as dt

    from django.utils import timezone

    from records.models import Job
    from records.services.jobs import stale_seconds

    old = timezone.now() - dt.timedelta(seconds=stale_seconds() + 5)
    stale = Job.objects.create(kind="batch_signing", params={}, state=Job.State.RUNNING, heartbeat_at=old)
    alive = Job.objects.create(
        kind="batch_signing", params={}, state=Job.State.RUNNING, heartbeat_at=timezone.now()
    )
    result = integrity_run.call()
    assert result["stale_jobs"] == [stale.pk]
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert (stale.state, alive.state) == (Job.State.FAILED, Job.State.RUNNING)
