"""The archivist's Transfers area (permission pairs, export with progress, streamed downloads, the act)
and the fixity alarm: a failed scheduled pass raises an audit event, mails the admins and shows a
banner to archivists."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import bagit
import pytest
from django.core import mail
from django.test import Client

from records.models import ArchiveTransfer, AuditEvent, Document, IntegrityState, Role, Signature
from records.models.blob import blob_path, blob_storage
from records.services import fixity
from records.tasks import integrity_run

LIST = "/admin/transfers/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _export(client: Client, document: Document, capture: Any) -> ArchiveTransfer:
    with capture(execute=True):  # the job is queued after commit; the tests' backend runs it at once
        response = client.post(f"{LIST}start/", {"ids": str(document.pk)})
    transfer = ArchiveTransfer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{transfer.pk}/"
    return transfer


@pytest.mark.parametrize("who", [Role.DEAN, Role.AUDITOR, Role.STUDENT])
def test_transfers_no_permission(staff: dict[str, Any], registered_doc: Document, who: str) -> None:
    """Anyone but the archivist is refused every page of the area, and nothing is recorded or made."""
    client = _client(staff[who])
    before = AuditEvent.objects.count()
    assert client.get(LIST).status_code in (302, 403)
    assert client.post(f"{LIST}start/", {"ids": str(registered_doc.pk)}).status_code in (302, 403)
    assert AuditEvent.objects.count() == before and not ArchiveTransfer.objects.exists()


def test_transfers_with_access(
    staff: dict[str, Any], registered_doc: Document, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    """The archivist exports a selection, sees its progress and identity, downloads the bag as zip and
    tar (both valid bags once unpacked) and drafts its transfer act."""
    client = _client(staff[Role.ARCHIVIST])
    assert client.get(LIST).status_code == 200
    transfer = _export(client, registered_doc, django_capture_on_commit_callbacks)
    assert transfer.state == ArchiveTransfer.State.DONE
    page = client.get(f"{LIST}{transfer.pk}/").content.decode()
    assert 'data-transfer-state="done"' in page and transfer.payload_oxum in page
    assert client.get(f"{LIST}{transfer.pk}/status/").json()["percent"] == 100
    assert transfer.identifier in client.get(LIST).content.decode()

    zipped = b"".join(client.get(f"{LIST}{transfer.pk}/download/").streaming_content)
    zipfile.ZipFile(io.BytesIO(zipped)).extractall(tmp_path / "zip")
    bagit.Bag(str(tmp_path / "zip" / transfer.identifier)).validate()
    tarred = b"".join(client.get(f"{LIST}{transfer.pk}/download/?format=tar").streaming_content)
    with tarfile.open(fileobj=io.BytesIO(tarred)) as archive:
        archive.extractall(tmp_path / "tar", filter="data")
    bagit.Bag(str(tmp_path / "tar" / transfer.identifier)).validate()
    assert AuditEvent.objects.filter(action="transfer.export").count() == 1

    response = client.post(f"{LIST}{transfer.pk}/act/", {"archive": "Центральный госархив", "grounds": ""})
    act = Document.objects.get(kind="transfer_act")
    assert response.status_code == 302 and response["Location"].endswith(f"/{act.pk}/")
    assert act.current_version.data["bag_identifier"] == transfer.identifier


def test_a_bad_selection_gets_a_message_and_changes_nothing(
    staff: dict[str, Any], registered_doc: Document
) -> None:
    client = _client(staff[Role.ARCHIVIST])
    before = AuditEvent.objects.count()
    for data in (
        {"ids": "1; DROP"},
        {"kind": "transcript"},
        {},
        {"ids": "1", "registered_from": "yesterday"},
    ):
        response = client.post(f"{LIST}start/", data, follow=True)
        assert response.status_code == 200 and b"error" in response.content
    assert AuditEvent.objects.count() == before and not ArchiveTransfer.objects.exists()


def test_a_failed_fixity_pass_raises_the_alarm(
    staff: dict[str, Any],
    registered_doc: Document,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A stored file changed behind the registry: the scheduled check's completed pass writes a
    "fixity.failed" event, mails ADMINS, and archivists see the banner on the dashboard and their page."""
    settings.ADMINS = [("Admin", "admin@example.kz")]
    client = _client(staff[Role.ARCHIVIST])
    assert b"data-fixity-alert" not in client.get("/admin/").content
    signature = Signature.objects.get(document=registered_doc)
    stored = Path(blob_storage().path(blob_path(signature.pdf_blob_id)))
    content = bytearray(stored.read_bytes())
    content[200:210] = b"0123456789"
    stored.write_bytes(bytes(content))
    monkeypatch.setattr(fixity, "SLICE", {"versions": 100, "blobs": 100, "pdfs": 100})
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            integrity_run.enqueue()  # what the worker runs on its schedule
        if IntegrityState.objects.get(pk=1).pass_started_at is None:
            break
    alarm = AuditEvent.objects.get(action="fixity.failed")
    assert any(signature.pdf_blob_id in problem for problem in alarm.changes["problems"])
    assert len(mail.outbox) == 1 and "Fixity check failed" in mail.outbox[0].subject
    assert b"data-fixity-alert" in client.get("/admin/").content
    assert b"data-fixity-alert" in client.get(LIST).content
    assert b"data-fixity-alert" not in _client(staff[Role.DEAN]).get("/admin/").content
