"""The transfer act: its registration marks the bag's records transferred (keeping their signed bytes,
or releasing them through disposal with a residual record), a record under hold is never released,
and an act that does not describe its bag is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from records.errors import RecordsError
from records.lifecycle import State
from records.models import ArchiveTransfer, AuditEvent, Blob, Document, Role, TransferredRecord
from records.projections.replay import replay
from records.selectors.transfer import Selection
from records.services.document import document_create, document_transition
from records.services.holds import hold_place
from records.services.transfer import transfer_act_data, transfer_act_draft, transfer_export
from tests.conftest import walk_route


def _bag(document: Document, tmp_path: Path) -> ArchiveTransfer:
    return transfer_export(by=None, selection=Selection(ids=(document.pk,)), out_dir=tmp_path)


def test_a_registered_act_marks_its_records_and_keeps_their_bytes(
    users: dict[str, Any], registered_doc: Document, tmp_path: Path
) -> None:
    transfer = _bag(registered_doc, tmp_path)
    act = transfer_act_draft(by=users[Role.ARCHIVIST], transfer=transfer, archive="Центральный госархив")
    assert TransferredRecord.objects.count() == 0  # a draft marks nothing
    act = walk_route(users, act, approver=Role.RECTOR)

    mark = TransferredRecord.objects.get(document=registered_doc)
    assert (mark.act_id, mark.bag_identifier, mark.released) == (act.pk, transfer.identifier, False)
    registered_doc.refresh_from_db()
    assert registered_doc.state == State.REGISTERED
    pdf = registered_doc.current_version.pdf_blob
    assert pdf.read()  # the bytes are kept and still match their hash
    assert replay(check=True).differs is False  # the marks are a projection of the registered act


def test_an_act_that_releases_disposes_of_the_records_keeping_a_residual_record(
    users: dict[str, Any], registered_doc: Document, tmp_path: Path
) -> None:
    transfer = _bag(registered_doc, tmp_path)
    pdf_sha = registered_doc.current_version.pdf_blob_id
    act = transfer_act_draft(by=users[Role.ARCHIVIST], transfer=transfer, archive="Госархив", release=True)
    act = walk_route(users, act, approver=Role.RECTOR)

    registered_doc.refresh_from_db()
    assert registered_doc.state == State.DISPOSED
    assert TransferredRecord.objects.get(document=registered_doc).released is True
    disposal = AuditEvent.objects.get(document=registered_doc, action="document.dispose")
    assert disposal.actor_repr == "system" and disposal.changes["act"] == act.registry_number
    assert pdf_sha in disposal.changes["residual"]["destroyed_files"]
    assert Blob.objects.get(pk=pdf_sha).destroyed_at is not None
    # The bag still holds what the registry released.
    assert (Path(transfer.bag_path) / "data" / "records" / str(registered_doc.pk) / "v1-signed.pdf").exists()


def test_a_record_under_hold_is_not_released_by_a_transfer_act(
    users: dict[str, Any], registered_doc: Document, tmp_path: Path
) -> None:
    transfer = _bag(registered_doc, tmp_path)
    hold_place(by=users[Role.ARCHIVIST], kind="legal", reason="Судебный запрос", document=registered_doc)
    with pytest.raises(RecordsError) as refused:
        transfer_act_draft(by=users[Role.ARCHIVIST], transfer=transfer, archive="Госархив", release=True)
    assert refused.value.code == "held_records"
    # Drafted by the general path, the engine refuses it before it goes anywhere.
    data = transfer_act_data(transfer=transfer, archive="Госархив", release=True)
    act = document_create(
        by=users[Role.ARCHIVIST],
        kind="transfer_act",
        org_unit=registered_doc.org_unit.parent,
        title="Акт",
        data=data,
    )
    before = AuditEvent.objects.count()
    with pytest.raises(RecordsError) as refused:
        document_transition(document=act, by=users[Role.ARCHIVIST], name="submit")
    assert refused.value.code == "held_records"
    assert AuditEvent.objects.count() == before
    registered_doc.refresh_from_db()
    assert registered_doc.state == State.REGISTERED and not TransferredRecord.objects.exists()
    # Keeping the bytes is no destruction: the same bag may still be transferred.
    kept = transfer_act_draft(by=users[Role.ARCHIVIST], transfer=transfer, archive="Госархив")
    walk_route(users, kept, approver=Role.RECTOR)
    assert TransferredRecord.objects.get(document=registered_doc).released is False


def test_an_act_that_misdescribes_its_bag_is_refused(
    users: dict[str, Any], registered_doc: Document, tmp_path: Path
) -> None:
    transfer = _bag(registered_doc, tmp_path)
    data = transfer_act_data(transfer=transfer, archive="Госархив")
    for change, code in (
        ({"manifest_sha256": "f" * 64}, "bag_mismatch"),
        ({"bag_identifier": "TR-1999-00001"}, "unknown_bag"),
        ({"records": [{"document_id": registered_doc.pk + 1000}]}, "records_mismatch"),
    ):
        with pytest.raises(RecordsError) as refused:
            document_create(
                by=users[Role.ARCHIVIST],
                kind="transfer_act",
                org_unit=registered_doc.org_unit.parent,
                title="Акт",
                data={**data, **change},
            )
        assert refused.value.code == code
    assert not Document.objects.filter(kind="transfer_act").exists()
