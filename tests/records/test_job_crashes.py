"""Jobs survive crashes (issue 11): a real child process runs the batch and is killed (SIGKILL) at a
step; the job, still "running", becomes failed and resumable once its heartbeat is stale; resuming
finishes it with nothing done twice. Stop is honoured at the next item boundary.

Before: a killed batch stayed "running" forever (Resume refused, Stop only set a flag), and a diploma
batch whose worker was killed was never picked up again.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from records.errors import RecordsError
from records.lifecycle import State
from records.models import AuditEvent, DiplomaBookEntry, Document, Job, Role, Signature
from records.services import jobs as jobs_service
from records.services.batch_signing import KIND, batch_job_get, batch_sign_resume, batch_sign_stop
from records.services.jobs import job_create, job_run, jobs_fail_stale, stale_seconds
from tests.records.signing import conftest as signing_fixtures
from tests.records.signing.conftest import waiting_for_rector

rector_key = signing_fixtures.rector_key  # the fixture, shared with the signing tests

ROOT = Path(__file__).resolve().parents[2]
STEPS = ["before_item", "inside_item", "after_item"]


def run_until_killed(job: Job, step: str, at: int, passphrase: str = "") -> None:
    """Run the job in a child process that kills itself at `step` of item number `at`."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.records.job_crash_runner",
            str(connection.settings_dict["NAME"]),
            str(job.pk),
            step,
            str(at),
            *([passphrase] if passphrase else []),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "settings.test",
            "RECTORATE_TEST_DATA_DIR": str(settings.DATA_DIR),
            "PYTHONPATH": str(ROOT),
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == -9, result.stderr[-3000:]  # killed, as planned


def later() -> dt.datetime:
    """A moment when the killed process's last heartbeat is stale."""
    return timezone.now() + dt.timedelta(seconds=stale_seconds() + 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", STEPS)
def test_a_killed_batch_signing_becomes_resumable_and_signs_each_document_once(
    sqlite_flushable: Any,
    users: dict[str, Any],
    org: Any,
    rector_key: str,
    step: str,
) -> None:
    rector = users[Role.RECTOR]
    docs = [waiting_for_rector(users, org, title=f"Приказ {i}") for i in range(3)]
    job = job_create(kind=KIND, by=rector, params={"documents": [d.pk for d in docs]}, start=False)
    run_until_killed(job, step, 2, rector_key)

    job.refresh_from_db()
    assert job.state == Job.State.RUNNING  # the process died without a word
    with pytest.raises(RecordsError):
        batch_sign_resume(job=job, by=rector, passphrase=rector_key)  # not yet: it may still be alive
    assert jobs_fail_stale() == []  # its heartbeat is fresh
    assert jobs_fail_stale(now=later()) == [job.pk]
    job = batch_job_get(user=rector, pk=job.pk)
    assert job.state == Job.State.FAILED and "resume" in job.error
    assert AuditEvent.objects.filter(action="job.abandoned", object_id=str(job.pk)).count() == 1

    job = batch_sign_resume(job=job, by=rector, passphrase=rector_key)
    assert (job.state, job.done, job.failed) == (Job.State.DONE, 3, 0)
    signatures = Counter(
        Signature.objects.filter(signer=rector, void=False).values_list("document_id", flat=True)
    )
    assert signatures == {d.pk: 1 for d in docs}
    assert set(Document.objects.filter(pk__in=[d.pk for d in docs]).values_list("state", flat=True)) == {
        State.REGISTERED
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", STEPS)
def test_a_diploma_batch_whose_worker_was_killed_is_resumed_without_duplicates(
    sqlite_flushable: Any, users: dict[str, Any], org: Any, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    from records.services.diplomas import diploma_batch_start
    from tests.records.diplomas.conftest import build_cohort

    cohort = build_cohort(users, org)
    registrar = users[Role.REGISTRAR]
    monkeypatch.setattr(jobs_service, "_enqueue", lambda job_id: None)  # the worker is ours to kill
    job = diploma_batch_start(by=registrar, group_code=cohort.group_code, date=cohort.date)
    run_until_killed(job, step, 2)
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING
    with pytest.raises(RecordsError) as refused:  # before: refused for ever ("already issued")
        diploma_batch_start(by=registrar, group_code=cohort.group_code, date=cohort.date)
    assert refused.value.code == "batch_exists"

    jobs_fail_stale(now=later())
    monkeypatch.undo()
    again = diploma_batch_start(by=registrar, group_code=cohort.group_code, date=cohort.date)
    assert again.pk == job.pk
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == (Job.State.DONE, 3, 0)
    entries = DiplomaBookEntry.objects.filter(batch=job)
    assert sorted(entries.values_list("number", flat=True)) == [1, 2, 3]
    assert sorted(entries.values_list("graduate_id", flat=True)) == sorted(p.pk for p in cohort.students)
    assert Document.objects.filter(kind="diploma").count() == 3
    assert Document.objects.filter(kind="diploma_supplement").count() == 3


def test_stop_is_honoured_at_the_next_document_boundary(
    users: dict[str, Any],
    org: Any,
    rector_key: str,
) -> None:
    """The stop arrives while document 2 of 4 is being signed: it finishes, and no other starts."""
    from records.services import batch_signing
    from records.services import signature as signature_service

    rector = users[Role.RECTOR]
    docs = [waiting_for_rector(users, org, title=f"Приказ {i}") for i in range(4)]
    job = job_create(kind=KIND, by=rector, params={"documents": [d.pk for d in docs]}, start=False)
    started: list[int] = []
    real_sign = signature_service.document_sign

    def sign(*, document: Document, by: Any, passphrase: str) -> Any:
        started.append(document.pk)
        if len(started) == 2:
            batch_sign_stop(job=Job.objects.get(pk=job.pk), by=rector)  # mid-document
        return real_sign(document=document, by=by, passphrase=passphrase)

    signature_service.document_sign = sign  # type: ignore[assignment]
    try:
        batch_signing._PASSPHRASES[job.pk] = batch_signing._Held(rector_key)
        job = job_run(job.pk)
    finally:
        signature_service.document_sign = real_sign  # type: ignore[assignment]
    assert (job.state, job.done) == (Job.State.STOPPED, 2)
    assert started == [docs[0].pk, docs[1].pk]
    assert Signature.objects.filter(signer=rector, void=False).count() == 2
