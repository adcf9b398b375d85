"""The diploma batch end to end: numbers, real rendering, dean then rector batch signing, registration,
pyHanko validation, reissue superseding the old documents; and the resume path."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.errors import RecordsError
from records.lifecycle import State
from records.models import AuditEvent, DiplomaBookEntry, Document, Job, RegistryCounter, Role
from records.selectors.diplomas import diploma_batch_documents
from records.selectors.document import document_current_pdf
from records.services import diplomas as diploma_service
from records.services.diplomas import diploma_batch_start, diploma_reissue
from records.services.jobs import job_run
from records.services.signature import documents_sign_batch
from signing import api as signing_api
from tests.records.diplomas.conftest import CohortFixture


def _pdf_text(pdf: bytes) -> str:
    """The text of a PDF by poppler's pdftotext (a real part: missing poppler fails the test)."""
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def _sign_all(users: dict[str, Any], ids: list[int]) -> None:
    for role in (Role.DEAN, Role.RECTOR):
        signer = users[role]
        documents = list(Document.objects.filter(pk__in=ids).order_by("id"))
        report = documents_sign_batch(
            documents=documents, by=signer, passphrase=demo_passphrase(signer.username)
        )
        assert report.failed == {} and sorted(report.signed) == sorted(ids)


def test_batch_issues_numbered_pairs_signed_by_dean_then_rector(
    users: dict[str, Any], cohort: CohortFixture
) -> None:
    """N diplomas + N supplements with consecutive book numbers, rendered, signed, registered, valid;
    a reissue gets a new number and its registration supersedes the old diploma and supplement."""
    registrar = users[Role.REGISTRAR]
    bootstrap_pki(usernames={users[Role.DEAN].username, users[Role.RECTOR].username})
    job = diploma_batch_start(by=registrar, group_code=cohort.group_code, date=cohort.date)
    assert AuditEvent.objects.filter(action="diploma.batch_start", object_id=str(job.pk)).count() == 1
    job = job_run(job.pk)
    assert (job.state, job.done, job.failed) == (Job.State.DONE, 3, 0)
    entries = list(DiplomaBookEntry.objects.filter(batch=job).order_by("number"))
    assert [e.display_number for e in entries] == ["BD 0000001", "BD 0000002", "BD 0000003"]
    ids = diploma_batch_documents(job)
    documents = Document.objects.filter(pk__in=ids)
    assert documents.count() == 6 and set(documents.values_list("state", flat=True)) == {State.SIGNING}
    assert sorted(documents.values_list("kind", flat=True)) == ["diploma"] * 3 + ["diploma_supplement"] * 3
    abai = next(e for e in entries if e.graduate_id == cohort.students[0].pk)
    assert abai.diploma is not None and abai.diploma.current_version is not None
    data = abai.diploma.current_version.data
    assert (
        data["with_honours"] is True
        and data["series"] == "BD"
        and data["diploma_number"] == abai.display_number
    )
    assert data["protocol_number"].startswith("ИА-") and data["full_name"]["en"] == "Abayev Abai"
    assert abai.supplement is not None and abai.supplement.current_version is not None
    supplement = abai.supplement.current_version.data
    assert [line["discipline_code"] for line in supplement["lines"]] == ["D11", "D12", "D21"]
    assert supplement["final_attestation"]["letter"] == "A" and supplement["total_credits"] == 60
    bolat = next(e for e in entries if e.graduate_id == cohort.students[1].pk)
    assert bolat.diploma is not None and bolat.diploma.current_version.data["with_honours"] is False  # type: ignore[union-attr]

    _sign_all(users, ids)
    for document in Document.objects.filter(pk__in=ids):
        assert document.state == State.REGISTERED
    pdf = document_current_pdf(Document.objects.get(pk=abai.diploma_id))
    assert pdf is not None
    report = signing_api.verify(pdf)
    assert report.ok and len(report.signatures) == 2
    text = _pdf_text(pdf)
    for needle in (
        "ДИПЛОМ",
        "DIPLOMA",
        "BD 0000001",
        "ДИПЛОМ С ОТЛИЧИЕМ",
        "DIPLOMA WITH HONOURS",
        "ҮЗДІК ДИПЛОМ",
    ):
        assert needle in text, needle
    supplement_pdf = document_current_pdf(Document.objects.get(pk=abai.supplement_id))
    assert supplement_pdf is not None and signing_api.verify(supplement_pdf).ok
    supplement_text = _pdf_text(supplement_pdf)
    assert all(code in supplement_text for code in ("D11", "D12", "D21", "BD 0000001", "GPA"))

    new = diploma_reissue(by=registrar, entry=abai, reason="Утерян")
    assert new.display_number == "BD 0000004" and new.reissue_of_id == abai.pk
    with pytest.raises(RecordsError) as info:
        diploma_reissue(by=registrar, entry=abai, reason="Утерян")
    assert info.value.code == "reissue_pending" and "BD 0000004" in info.value.message
    assert new.diploma_id is not None and new.supplement_id is not None
    _sign_all(users, [new.diploma_id, new.supplement_id])
    old_diploma = Document.objects.get(pk=abai.diploma_id)
    old_supplement = Document.objects.get(pk=abai.supplement_id)
    assert (old_diploma.state, old_diploma.superseded_by_id) == (State.SUPERSEDED, new.diploma_id)
    assert (old_supplement.state, old_supplement.superseded_by_id) == (State.SUPERSEDED, new.supplement_id)
    abai.refresh_from_db()
    assert abai.status == DiplomaBookEntry.Status.REISSUED
    assert "BD 0000001" in Document.objects.get(pk=new.diploma_id).current_version.data["remark"]["ru"]  # type: ignore[union-attr]


def test_interrupted_batch_resumes_without_duplicates_or_gaps(
    users: dict[str, Any], cohort: CohortFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash while the second graduate's pair renders (outside the transaction that numbered it)
    leaves that pair numbered and unrendered; resuming finishes it and issues the rest once:
    consecutive numbers, one pair per graduate, the first graduate not redone."""
    registrar = users[Role.REGISTRAR]
    job = diploma_batch_start(by=registrar, group_code=cohort.group_code, date=cohort.date)
    items = [str(p) for p in job.params["graduates"]]
    diploma_service._process(job, items[0])
    real = diploma_service.documents_render_pdf

    def crash_while_rendering(**kwargs: Any) -> None:
        raise RuntimeError("killed")  # the process dies while the second graduate's pair renders

    monkeypatch.setattr(diploma_service, "documents_render_pdf", crash_while_rendering)
    with pytest.raises(RuntimeError):
        job_run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    half = DiplomaBookEntry.objects.filter(batch=job).order_by("number")
    assert half.count() == 2 and RegistryCounter.objects.get(series="DIPLOMA-BD").last_value == 2
    unrendered = Document.objects.select_related("current_version").get(pk=half[1].diploma_id)
    assert unrendered.state == State.APPROVED and unrendered.current_version.pdf_blob_id is None  # type: ignore[union-attr]
    monkeypatch.setattr(diploma_service, "documents_render_pdf", real)
    job = job_run(job.pk)
    diploma_service._process(job, items[0])  # a repeated item changes nothing
    assert (job.state, job.done) == (Job.State.DONE, 3)
    numbers = list(
        DiplomaBookEntry.objects.filter(batch=job).order_by("number").values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
    assert Document.objects.filter(kind="diploma").count() == 3
    assert set(Document.objects.filter(kind__startswith="diploma").values_list("state", flat=True)) == {
        State.SIGNING
    }
    assert Document.objects.filter(kind="diploma_supplement").count() == 3
