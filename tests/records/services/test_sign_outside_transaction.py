"""Signing never holds the registry's write lock (issue 11): pyHanko and the TSA run before the
transaction that stores the signed PDF and records the signature. A document that changed while it
was being signed keeps its new state; the late signature is discarded. The tests assert the order of
events, never the wall time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.errors import RecordsError
from records.lifecycle import State
from records.models import AuditEvent, Document, Role, Signature
from records.services.document import document_create, document_submit, document_transition
from records.services.signature import document_sign
from signing import pades
from tests.records.services.test_document import DATA, draft


class HeldSigner:
    """The real pyHanko signing (and TSA), held at its start until the test releases it."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.started = threading.Event()
        self.release = threading.Event()
        self.order: list[str] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.started.set()
        self.release.wait(timeout=90)
        result = self.real(*args, **kwargs)
        self.order.append("signing finished")
        return result


@pytest.fixture
def in_signing(users: dict[str, Any], org: Any) -> Document:
    """An internal order approved, rendered and waiting for the rector's signature."""
    bootstrap_pki(usernames={users[Role.RECTOR].username})
    document = document_submit(document=draft(users, org), by=users[Role.DEAN])
    document = document_transition(document=document, by=users[Role.RECTOR], name="approve")
    return document_transition(document=document, by=users[Role.REGISTRAR], name="start_signing")


def _sign_in_thread(document: Document, rector: Any, outcome: dict[str, Any]) -> threading.Thread:
    def run() -> None:
        try:
            outcome["signature"] = document_sign(
                document=document, by=rector, passphrase=demo_passphrase(rector.username)
            )
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldSigner]:
    signer = HeldSigner(pades.sign_pdf)
    monkeypatch.setattr(pades, "sign_pdf", signer)
    yield signer
    signer.release.set()


@pytest.mark.django_db(transaction=True)
def test_other_writes_proceed_while_a_document_is_being_signed(
    sqlite_flushable: Any, users: dict[str, Any], org: Any, in_signing: Document, held: HeldSigner
) -> None:
    outcome: dict[str, Any] = {}
    signer = _sign_in_thread(in_signing, users[Role.RECTOR], outcome)
    try:
        assert held.started.wait(timeout=120), "the signing never started"
        # pyHanko and the TSA are working now. Before, their transaction held SQLite's write lock and
        # these writes waited 30 s and failed with "database is locked".
        other = document_create(
            by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="Другой приказ", data=DATA
        )
        document_submit(document=other, by=users[Role.DEAN])
        held.order.append("other writes committed")
    finally:
        held.release.set()
        signer.join(timeout=180)
    assert "error" not in outcome, outcome.get("error")
    assert held.order == ["other writes committed", "signing finished"]
    signed = Document.objects.get(pk=in_signing.pk)
    assert signed.state == State.REGISTERED
    assert Signature.objects.filter(document=signed, void=False).count() == 1
    assert AuditEvent.objects.filter(document=signed, action="document.sign").count() == 1
    assert Document.objects.get(pk=other.pk).state == State.REVIEW


@pytest.mark.django_db(transaction=True)
def test_a_document_rejected_while_being_signed_keeps_its_state_and_the_signature_is_discarded(
    sqlite_flushable: Any, users: dict[str, Any], in_signing: Document, held: HeldSigner
) -> None:
    outcome: dict[str, Any] = {}
    signer = _sign_in_thread(in_signing, users[Role.RECTOR], outcome)
    try:
        assert held.started.wait(timeout=120), "the signing never started"
        document_transition(document=in_signing, by=users[Role.RECTOR], name="reject", reason="Опечатка")
        held.order.append("rejected")
    finally:
        held.release.set()
        signer.join(timeout=180)
    assert held.order == ["rejected", "signing finished"]
    assert isinstance(outcome.get("error"), RecordsError), outcome
    assert outcome["error"].code == "not_signing"
    rejected = Document.objects.get(pk=in_signing.pk)
    assert rejected.state == State.DRAFT
    assert not Signature.objects.filter(document=rejected).exists()
    assert not AuditEvent.objects.filter(document=rejected, action="document.sign").exists()


@pytest.mark.django_db(transaction=True)
def test_stop_during_a_real_batch_ends_it_after_the_current_document(
    sqlite_flushable: Any, users: dict[str, Any], org: Any, held: HeldSigner
) -> None:
    """Stop is requested while document 1 of 3 is in pyHanko: the request does not wait for it, the
    document finishes and is registered, and neither of the other two is started (issue 11: Stop took
    6-12 s and in 2 of 4 tries had no effect; bench/bench_stop.py measures the latency)."""
    from records.models import Job
    from records.services.batch_signing import KIND, batch_sign_start, batch_sign_stop

    rector = users[Role.RECTOR]
    bootstrap_pki(usernames={rector.username})
    documents = []
    for index in range(3):
        document = document_create(
            by=users[Role.DEAN],
            kind="internal_order",
            org_unit=org.faculty,
            title=f"Приказ {index}",
            data=DATA,
        )
        document = document_submit(document=document, by=users[Role.DEAN])
        document = document_transition(document=document, by=users[Role.RECTOR], name="approve")
        documents.append(
            document_transition(document=document, by=users[Role.REGISTRAR], name="start_signing")
        )
    calls: list[int] = []
    real = held.real

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    held.real = counted
    outcome: dict[str, Any] = {}

    def run_batch() -> None:
        try:  # tests run tasks at once, so the batch runs in this thread as the back office's would
            outcome["job"] = batch_sign_start(
                by=rector, document_ids=[d.pk for d in documents], passphrase=demo_passphrase(rector.username)
            )
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    batch = threading.Thread(target=run_batch)
    batch.start()
    try:
        assert held.started.wait(timeout=120), "the batch never started signing"
        job = Job.objects.get(kind=KIND, created_by=rector)
        assert job.state == Job.State.RUNNING
        batch_sign_stop(job=job, by=rector)  # before: waited for the signing's write lock, then "locked"
        held.order.append("stop requested")
    finally:
        held.release.set()
        batch.join(timeout=180)
    assert "error" not in outcome, outcome.get("error")
    assert held.order == ["stop requested", "signing finished"]
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == (Job.State.STOPPED, 1, 0)
    assert len(calls) == 1  # no document was started after the request
    assert Document.objects.get(pk=documents[0].pk).state == State.REGISTERED
    for untouched in documents[1:]:
        assert Document.objects.get(pk=untouched.pk).state == State.SIGNING
        assert not Signature.objects.filter(document=untouched).exists()
    assert AuditEvent.objects.filter(action="job.stop", object_id=str(job.pk)).count() == 1
