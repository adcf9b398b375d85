"""Batch signing from "To sign": one passphrase, progress to 100%, stop and resume without duplicates."""

from __future__ import annotations

from typing import Any

import pytest

from records.lifecycle import State
from records.models import AuditEvent, Document, Job, Role, Signature
from records.selectors.signature import documents_to_sign
from records.services import signature as signature_service
from records.services.batch_signing import KIND, PassphraseNeeded
from records.services.jobs import job_create, job_request_stop, job_run
from tests.records.admin.conftest import events_after, last_event_id
from tests.records.signing.conftest import waiting_for_rector

TO_SIGN = "/admin/signing/"
START = "/admin/signing/batch/"


def three(staff: dict[str, Any], org: Any) -> list[Document]:
    return [waiting_for_rector(staff, org, title=f"Приказ {i}") for i in range(3)]


def batch_url(job: Job, tail: str = "") -> str:
    return f"/admin/signing/batch/{job.pk}/{tail}"


def test_to_sign_lists_exactly_the_documents_waiting_for_the_users_step(
    client: Any, staff: dict[str, Any], org: Any, registered_doc: Document
) -> None:
    docs = three(staff, org)
    assert set(documents_to_sign(user=staff[Role.RECTOR])) == set(docs)
    assert list(documents_to_sign(user=staff[Role.DEAN])) == []
    client.force_login(staff[Role.RECTOR])
    html = client.get(TO_SIGN).content.decode()
    for doc in docs:
        assert f'name="documents" value="{doc.pk}"' in html
    assert f'value="{registered_doc.pk}"' not in html
    assert "data-select-all" in html and 'type="password"' in html


def test_to_sign_is_refused_to_a_student(client: Any, staff: dict[str, Any]) -> None:
    before = last_event_id()
    client.force_login(staff[Role.STUDENT])
    assert client.get(TO_SIGN).status_code == 403
    assert events_after(before) == []


def test_a_batch_of_three_reaches_100_percent_and_stores_no_passphrase(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    docs = three(staff, org)
    client.force_login(staff[Role.RECTOR])
    before = last_event_id()
    response = client.post(START, {"documents": [d.pk for d in docs], "passphrase": rector_key})
    assert response.status_code == 302
    job = Job.objects.get(kind=KIND)
    assert response["Location"] == batch_url(job)
    status = client.get(batch_url(job, "status/")).json()
    assert status | {"id": 0} == status | {
        "id": 0,
        "state": "done",
        "total": 3,
        "done": 3,
        "failed": 0,
        "percent": 100,
        "running": False,
    }
    page = client.get(batch_url(job)).content.decode()
    assert 'value="100"' in page
    for doc in docs:
        doc.refresh_from_db()
        assert doc.state == State.REGISTERED
    assert events_after(before).count("document.sign") == 3
    assert rector_key not in str(Job.objects.values_list("params", "results", "error").get(pk=job.pk))
    assert not any(rector_key in str(e.changes) for e in AuditEvent.objects.all())


def test_a_wrong_passphrase_starts_no_batch(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    docs = three(staff, org)[:1]
    client.force_login(staff[Role.RECTOR])
    before = last_event_id()
    response = client.post(START, {"documents": [d.pk for d in docs], "passphrase": "wrong"}, follow=True)
    assert "passphrase is wrong" in response.content.decode()
    assert not Job.objects.filter(kind=KIND).exists()
    assert events_after(before) == []


def test_documents_not_waiting_for_the_user_are_refused(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    docs = three(staff, org)[:1]
    client.force_login(staff[Role.DEAN])
    response = client.post(START, {"documents": [d.pk for d in docs], "passphrase": "sign-dean"}, follow=True)
    assert "not waiting for your signature" in response.content.decode()
    assert not Job.objects.filter(kind=KIND).exists()
    assert not Signature.objects.exists()


def test_stop_after_the_first_then_resume_signs_the_rest_exactly_once(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str, monkeypatch: Any
) -> None:
    """A stop keeps what was signed; resume asks for the passphrase again and never signs twice."""
    docs = three(staff, org)
    real_sign = signature_service.document_sign
    calls: list[int] = []

    def sign_then_stop(**kwargs: Any) -> Any:
        result = real_sign(**kwargs)
        calls.append(kwargs["document"].pk)
        if len(calls) == 1:
            job_request_stop(job=Job.objects.get(kind=KIND), by=kwargs["by"])
        return result

    monkeypatch.setattr(signature_service, "document_sign", sign_then_stop)
    client.force_login(staff[Role.RECTOR])
    client.post(START, {"documents": [d.pk for d in docs], "passphrase": rector_key})
    job = Job.objects.get(kind=KIND)
    assert (job.state, job.done, job.total) == ("stopped", 1, 3)
    page = client.get(batch_url(job)).content.decode()
    assert batch_url(job, "resume/") in page and 'type="password"' in page

    response = client.post(batch_url(job, "resume/"), {"passphrase": "wrong"}, follow=True)
    assert "passphrase is wrong" in response.content.decode()
    job.refresh_from_db()
    assert (job.state, job.done) == ("stopped", 1)

    client.post(batch_url(job, "resume/"), {"passphrase": rector_key})
    job.refresh_from_db()
    assert (job.state, job.done, job.failed, job.percent) == ("done", 3, 0, 100)
    assert sorted(calls) == sorted(d.pk for d in docs)  # each document signed once
    for doc in docs:
        assert Signature.objects.filter(document=doc).count() == 1
        doc.refresh_from_db()
        assert doc.state == State.REGISTERED


def test_the_stop_button_asks_a_running_batch_to_stop(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    doc = waiting_for_rector(staff, org)
    rector = staff[Role.RECTOR]
    job = job_create(kind=KIND, by=rector, params={"documents": [doc.pk]}, start=False)
    client.force_login(rector)
    before = last_event_id()
    assert client.post(batch_url(job, "stop/")).status_code == 302
    job.refresh_from_db()
    assert job.stop_requested
    assert events_after(before) == ["job.stop"]


def test_someone_elses_batch_is_404(client: Any, staff: dict[str, Any], org: Any, rector_key: str) -> None:
    doc = waiting_for_rector(staff, org)
    job = job_create(kind=KIND, by=staff[Role.RECTOR], params={"documents": [doc.pk]}, start=False)
    client.force_login(staff[Role.REGISTRAR])
    before = last_event_id()
    assert client.get(batch_url(job)).status_code == 404
    assert client.get(batch_url(job, "status/")).status_code == 404
    assert client.post(batch_url(job, "stop/")).status_code == 404
    assert client.post(batch_url(job, "resume/"), {"passphrase": rector_key}).status_code == 404
    assert events_after(before) == []


def test_a_batch_run_without_its_passphrase_fails_and_resumes_after_reentry(
    client: Any, staff: dict[str, Any], org: Any, rector_key: str
) -> None:
    """The worker (or a restarted web process) holds no passphrase: nothing is signed until resumed."""
    doc = waiting_for_rector(staff, org)
    rector = staff[Role.RECTOR]
    job = job_create(kind=KIND, by=rector, params={"documents": [doc.pk]}, start=False)
    with pytest.raises(PassphraseNeeded):
        job_run(job.pk)
    job.refresh_from_db()
    assert job.state == "failed"
    assert not Signature.objects.filter(document=doc).exists()
    client.force_login(rector)
    client.post(batch_url(job, "resume/"), {"passphrase": rector_key})
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_in_the_web_process_the_batch_runs_in_a_background_thread(
    staff: dict[str, Any], org: Any, rector_key: str, monkeypatch: Any
) -> None:
    """Outside tests the view returns at once and a thread holding the passphrase signs; polling sees it end."""
    import time

    from records.services import batch_signing

    docs = three(staff, org)[:2]
    monkeypatch.setattr(batch_signing, "_runs_inline", lambda: False)
    job = batch_signing.batch_sign_start(
        by=staff[Role.RECTOR], document_ids=[d.pk for d in docs], passphrase=rector_key
    )
    for _ in range(600):  # poll like the page does, until the thread ends
        job.refresh_from_db()
        if job.state not in ("pending", "running"):
            break
        time.sleep(0.2)
    assert (job.state, job.done) == ("done", 2)
    for _ in range(100):  # the thread forgets the passphrase right after it records the end
        if job.pk not in batch_signing._PASSPHRASES:
            break
        time.sleep(0.05)
    assert job.pk not in batch_signing._PASSPHRASES


def test_the_to_sign_list_makes_no_query_per_row(client: Any, staff: dict[str, Any], org: Any) -> None:
    """One document or three: the same number of queries (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff[Role.RECTOR])
    waiting_for_rector(staff, org, title="Один")
    client.get(TO_SIGN)  # warm caches (menu, session)
    with CaptureQueriesContext(connection) as one:
        assert client.get(TO_SIGN).status_code == 200
    three(staff, org)
    with CaptureQueriesContext(connection) as four:
        html = client.get(TO_SIGN).content.decode()
    assert html.count('name="documents"') == 4
    assert len(four.captured_queries) == len(one.captured_queries)
