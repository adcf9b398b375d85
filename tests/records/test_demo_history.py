"""The demo history in the background worker: resumable after the worker dies, never twice."""

from __future__ import annotations

import hashlib
import json
import os
import signal
from typing import Any

import pytest
from django.db import transaction

from records.demo import history
from records.demo.seed import seed_demo
from records.models import Document, GradeLine, Job, Student
from records.services.jobs import job_create

YEARS = ["2022", "2023"]
PARAMS = {"seed": 2026, "last_year": 2023, "signed": False, history.YEARS_ONLY: True}


def _job() -> Job:
    return job_create(kind=history.JOB_KIND, by=None, params=PARAMS, start=False)


def _process(job: Job, item: str) -> None:
    job.refresh_from_db()
    history._process(job, item)


def _crash(job: Job) -> None:
    """The worker process dies: the history it held in memory is gone."""
    history._RUNNING.pop(job.pk, None)


def _numbers() -> dict[str, str]:
    return {str(pk): number for pk, number in Document.objects.values_list("pk", "registry_number")}


def _by_number(value: Any, numbers: dict[str, str]) -> Any:
    """The data with each policy version (the id of the policy document) named by its registry
    number: PostgreSQL does not roll id sequences back, so a second run names other ids."""
    if isinstance(value, dict):
        return {
            key: numbers.get(str(item), item) if key == "policy_version" else _by_number(item, numbers)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_by_number(item, numbers) for item in value]
    return value


def _fingerprint() -> list[Any]:
    numbers = _numbers()
    documents = [
        (
            d.kind,
            d.registry_number,
            d.state,
            hashlib.sha256(
                json.dumps(_by_number(d.current_version.data, numbers), sort_keys=True).encode()
            ).hexdigest(),
        )
        for d in Document.objects.select_related("current_version").order_by("pk")
    ]
    students = list(
        Student.objects.order_by("person__iin").values_list("person__iin", "status", "year_of_study")
    )
    return [documents, students, GradeLine.objects.count()]


@pytest.fixture
def university(db: Any) -> None:
    seed_demo(students=40, seed=5)


def _uninterrupted() -> list[Any]:
    """The fingerprint of a history that never stopped, computed inside a savepoint rolled back after."""
    with transaction.atomic():
        point = transaction.savepoint()
        job = _job()
        for year in YEARS:
            _process(job, year)
        _crash(job)
        expected = _fingerprint()
        transaction.savepoint_rollback(point)
    return expected


def test_the_history_goes_on_after_the_worker_dies_with_the_same_documents_once(university: None) -> None:
    expected = _uninterrupted()
    assert expected[0] and expected[2], "the history registered orders and grade lines"
    assert not Document.objects.exists()

    job = _job()
    _process(job, YEARS[0])
    _crash(job)  # killed after the year committed, before the job noted the item done
    _process(job, YEARS[0])  # the item again: already done and checkpointed, nothing registered
    _process(job, YEARS[1])  # resumed from the checkpoint
    _crash(job)
    assert _fingerprint() == expected
    job.refresh_from_db()
    assert job.params[history.CHECKPOINT]["year"] == int(YEARS[1])


def test_sigterm_stops_the_history_at_the_next_step_and_the_next_start_finishes_it(
    university: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """SIGTERM (./scripts/run stopping its workers, Ctrl-C) in the middle of a year: the history stops
    at the next step boundary, not at the end of the year; the job is left stopped, and the next
    start (``demo_history_start``) finishes it with the documents of a run that never stopped."""
    expected = _uninterrupted()

    saved: list[list[int]] = []
    original = history._checkpoint

    def checkpoint_then_sigterm(job_id: int, state: dict[str, Any]) -> None:
        original(job_id, state)
        saved.append(state["step"])
        if len(saved) == 5:  # in September of the first year: one group's orders done
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(history, "_checkpoint", checkpoint_then_sigterm)
    job = _job()
    with pytest.raises(history.HistoryInterrupted):
        _process(job, YEARS[0])
    assert len(saved) == 5, "stopped at the step after the signal, not at the end of the year"
    job.refresh_from_db()
    assert job.state == Job.State.STOPPED
    assert job.params[history.CHECKPOINT]["step"] == saved[-1]
    assert signal.getsignal(signal.SIGTERM) is not None  # the handler of before is back
    monkeypatch.setattr(history, "_checkpoint", original)

    with django_capture_on_commit_callbacks(execute=True):
        assert history.demo_history_start() == job  # the tests' backend runs it at once
    job.refresh_from_db()
    assert (job.state, job.failed) == (Job.State.DONE, 0), job.results
    assert _fingerprint() == expected


def _registry_and_chain() -> list[Any]:
    """The registry (kind, number, data) and the audit chain's sequence (actor, action, document, what changed)."""
    from records.models import AuditEvent

    numbers = _numbers()
    events = [
        (
            e.actor_repr,
            e.action,
            numbers.get(str(e.document_id)),
            json.dumps(_by_number(e.changes, numbers), sort_keys=True, default=str),
        )
        for e in AuditEvent.objects.order_by("pk")
    ]
    return [_fingerprint(), events]


def test_the_history_in_bulk_registers_what_one_registration_at_a_time_did(
    university: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enrollments and curricula go through `documents_create_registered`; one by one (as before)
    gives the same documents, numbers, projections and audit events, in the same order."""
    from records.demo import academic

    bulk_calls: list[int] = []
    original = academic._Seeder.register_many

    def counted(self: Any, *, by: Any, items: list[Any]) -> list[Any]:
        bulk_calls.append(len(items))
        return original(self, by=by, items=items)

    def one_by_one(self: Any, *, by: Any, items: list[Any]) -> list[Any]:
        return [self.register(by=by, kind=i.kind, unit=i.org_unit, title=i.title, data=i.data) for i in items]

    with transaction.atomic():
        point = transaction.savepoint()
        monkeypatch.setattr(academic._Seeder, "register_many", counted)
        academic.seed_academic(seed=5, signed=False, last_year=2023, current_term=False)
        bulk = _registry_and_chain()
        transaction.savepoint_rollback(point)
    assert max(bulk_calls) > 1, "the enrollments were registered in batches"
    monkeypatch.setattr(academic._Seeder, "register_many", one_by_one)
    academic.seed_academic(seed=5, signed=False, last_year=2023, current_term=False)
    assert _registry_and_chain() == bulk
