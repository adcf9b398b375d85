"""The demo history survives a hard kill anywhere (the standard "a crash between two steps leaves the
last consistent state and a retryable task"): a real child process runs the history job through the
real task (records.tasks.run_job: real rendering, real signatures on a one-year, one-group history)
and is killed (SIGKILL) at several points: after a step committed, inside a step's transaction, in
the middle of a route's transitions and in the middle of a signer's batch. Each new process goes on
from where the last one died; the job, left "running" by a dead process, is resumed by
``demo_history_start`` (what every start of ./scripts/run calls) and finishes with the registry an
uninterrupted run registers: the same documents, numbers, data and states, the same projections
and audit trail of the documents, a valid audit chain and projections equal to a replay.

Before: a process killed in the middle of a year left a history that refused to resume
(``demo_history_interrupted``), and there was no way to stop it between two steps.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from records.demo import history
from records.demo.academic import CRASH_ENV
from records.demo.seed import seed_demo
from records.models import AuditEvent, Document, Job, Signature
from records.services.checkpoints import audit_verify
from records.services.jobs import job_create, jobs_fail_stale
from tests.records.test_demo_history import _by_number, _fingerprint, _numbers
from tests.records.test_job_crashes import later

ROOT = Path(__file__).resolve().parents[2]
PARAMS = {"seed": 2026, "last_year": 2022, "signed": True, history.YEARS_ONLY: True}
# Where each child process dies, counted from its own start (records.demo.academic.crash_point).
KILLS = ["step:3", "inside:2", "transition:4", "sign:5", "sign:10"]


def _run(job: Job, crash: str | None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "RECTORATE_TEST_DATA_DIR": str(settings.DATA_DIR),
        "PYTHONPATH": str(ROOT),
    }
    env.pop(CRASH_ENV, None)
    if crash:
        env[CRASH_ENV] = crash
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.records.demo_history_runner",
            str(connection.settings_dict["NAME"]),
            str(job.pk),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def _without_hashes(changes: Any) -> Any:
    """What an event recorded, but a PDF's hash (a PDF/A carries the time it was made: no two
    renderings are byte-identical, interrupted or not) and a frozen version's data hash (the data
    names the policy document by its id, which differs between two runs on PostgreSQL, whose
    sequences are not rolled back; the data themselves are compared, the ids named by number)."""
    if not isinstance(changes, dict):
        return changes
    return {k: v for k, v in changes.items() if k not in ("pdf_sha256", "data_sha256")}


def _registry() -> list[Any]:
    """The registry and projections (test_demo_history._fingerprint), each document's audit trail
    (actor, action, what changed; a signature by its signer and step) and its signatures."""
    numbers = _numbers()
    trail = [
        (
            e.actor_repr,
            e.action,
            numbers.get(str(e.document_id)),
            ""
            if e.action == "document.sign"
            else json.dumps(_by_number(_without_hashes(e.changes), numbers), sort_keys=True, default=str),
        )
        for e in AuditEvent.objects.filter(document__isnull=False).order_by("pk")
    ]
    signatures = sorted(
        (numbers[str(document)], step, signer)
        for document, step, signer in Signature.objects.filter(void=False).values_list(
            "document_id", "step", "signer__username"
        )
    )
    return [_fingerprint(), trail, signatures]


@pytest.mark.django_db(transaction=True)
def test_the_history_killed_anywhere_goes_on_and_registers_what_an_uninterrupted_run_does(
    sqlite_flushable: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_demo(students=40, seed=5)
    with transaction.atomic():  # the uninterrupted run, undone after
        point = transaction.savepoint()
        job = job_create(kind=history.JOB_KIND, by=None, params=PARAMS, start=False)
        for item in history._items(job):
            history._process(job, item)
        history._RUNNING.pop(job.pk, None)
        expected = _registry()
        transaction.savepoint_rollback(point)
    assert Counter(d[0] for d in expected[0][0])["grade_statement"] >= 6, "the year has signed statements"
    assert not Document.objects.filter(kind="academic_policy").exists()

    job = job_create(kind=history.JOB_KIND, by=None, params=PARAMS, start=False)
    for crash in KILLS:
        child = _run(job, crash)
        assert child.returncode == -9, f"{crash}: not killed\n{child.stdout[-2000:]}\n{child.stderr[-3000:]}"
        job.refresh_from_db()
        assert job.state == Job.State.RUNNING  # the process died without a word
    assert job.params[history.CHECKPOINT]["step"] > [0, 0, 0, 0], "the history had begun"

    # What ./scripts/run does on its next start (the dead worker's heartbeat is stale by then).
    jobs_fail_stale(now=later())
    resumed = history.demo_history_start()  # the immediate backend of the tests runs it at once
    assert resumed is not None and resumed.pk == job.pk
    job.refresh_from_db()
    assert (job.state, job.failed) == (Job.State.DONE, 0), job.results
    assert _registry() == expected

    assert audit_verify().ok
    call_command("registry", "replay", "--check")  # raises when the projections differ from a replay
