"""The act of transfer to the archive (акт приёма-передачи документов на архивное хранение).

It names one exported bag (records.services.transfer) by its identifier, Payload-Oxum and the
SHA-256 of its payload manifest, lists the records in it, and says whether the registry keeps its
copy or releases it. The archivist drafts and signs it, the rector signs it. Its registration marks
the records transferred (TransferredRecord rows, a projection: the signed bytes are untouched) and,
when the act releases them, it declares them as records it disposes of (``DocumentKind.disposes``,
as a disposition act does): the engine refuses the act's steps while one of them is under hold and,
at registration, archives and disposes of each in the act's name (records.services.disposal: a
residual record stays).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pydantic import BaseModel, Field

from records.errors import RecordsError
from records.kinds.base import DocumentKind, KindEffects, RouteStep, register_kind
from records.kinds.templates import transfer_act_layout
from records.models import ArchiveTransfer, Document, OrgUnit, TransferredRecord, Version
from records.models.org import Role

KIND_CODE = "transfer_act"


class TransferredItem(BaseModel):
    """One record handed over: its id in the registry, and its number and title as the act prints them."""

    document_id: int = Field(ge=1)
    registry_number: str = Field(default="", max_length=60)
    title: str = Field(default="", max_length=500)


class TransferActData(BaseModel):
    """The data of a transfer act."""

    archive: str = Field(min_length=3, max_length=300, description="The archive that receives the records")
    grounds: str = Field(default="", max_length=2000, description="The grounds of the transfer")
    bag_identifier: str = Field(min_length=3, max_length=60, description="The bag's External-Identifier")
    payload_oxum: str = Field(pattern=r"^\d+\.\d+$", max_length=60, description="The bag's Payload-Oxum")
    manifest_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of manifest-sha256.txt")
    release: bool = Field(default=False, description="The registry's copy is released after the transfer")
    records: list[TransferredItem] = Field(min_length=1, max_length=100_000)


def _validate_db(data: dict[str, Any], org_unit: OrgUnit) -> dict[str, Any]:
    """The bag exists, finished, is the one the act describes, and the act lists exactly its records
    (numbers and titles taken from the registry)."""
    transfer = ArchiveTransfer.objects.filter(
        identifier=data["bag_identifier"], state=ArchiveTransfer.State.DONE
    ).first()
    if transfer is None:
        raise RecordsError(
            "unknown_bag", _("No finished transfer has the identifier %(bag)s."), bag=data["bag_identifier"]
        )
    if (transfer.payload_oxum, transfer.manifest_sha256) != (data["payload_oxum"], data["manifest_sha256"]):
        raise RecordsError(
            "bag_mismatch",
            _("The act's Payload-Oxum or manifest digest differs from the bag %(bag)s."),
            bag=transfer.identifier,
        )
    listed = [item["document_id"] for item in data["records"]]
    if sorted(listed) != sorted(transfer.document_ids):
        raise RecordsError(
            "records_mismatch",
            _("The act must list exactly the %(count)s records of the bag %(bag)s."),
            count=len(transfer.document_ids),
            bag=transfer.identifier,
        )
    known = {
        pk: (number, title)
        for pk, number, title in Document.objects.filter(pk__in=listed).values_list(
            "id", "registry_number", "title"
        )
    }
    data["records"] = [
        {"document_id": pk, "registry_number": known[pk][0], "title": known[pk][1][:500]}
        for pk in sorted(listed)
        if pk in known
    ]
    return data


def _project(document: Document, version: Version) -> KindEffects | None:
    """Mark every listed record transferred by this act; ask the engine to release them if the act says so."""
    data = version.data
    ids = [item["document_id"] for item in data["records"]]
    assert document.registered_at is not None
    TransferredRecord.objects.bulk_create(
        [
            TransferredRecord(
                document_id=pk,
                act=document,
                bag_identifier=data["bag_identifier"],
                released=bool(data["release"]),
                transferred_at=document.registered_at,
            )
            for pk in ids
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return None


def _disposes(data: dict[str, Any]) -> list[int]:
    """The records whose bytes the act releases: all it lists when it says so, else none. The engine
    refuses the act's steps while one of them is under hold and disposes of each at registration."""
    return [item["document_id"] for item in data.get("records", [])] if data.get("release") else []


def _unproject(document: Document, version: Version) -> None:
    """A revoked act no longer marks its records (bytes it released stay released: that cannot be undone)."""
    TransferredRecord.objects.filter(act=document).delete()


TRANSFER_ACT = register_kind(
    DocumentKind(
        layout=transfer_act_layout,
        code=KIND_CODE,
        names={
            "kk": "Құжаттарды мұрағаттық сақтауға қабылдау-тапсыру актісі",
            "ru": "Акт приёма-передачи документов на архивное хранение",
            "en": "Act of transfer to the archive",
        },
        schema=TransferActData,
        series="АПП",
        number_format="{series}-{year}-{seq:04d}",
        creator_roles=frozenset({Role.ARCHIVIST}),
        approver_roles=frozenset({Role.RECTOR, Role.VICE_RECTOR}),
        revoker_roles=frozenset({Role.RECTOR}),
        signing_route=(
            RouteStep(code="archivist", role=Role.ARCHIVIST, label=_lazy("Archivist")),
            RouteStep(code="rector", role=Role.RECTOR, label=_lazy("Rector")),
        ),
        retention_class="permanent",
        validate_db=_validate_db,
        project=_project,
        disposes=_disposes,
        unproject=_unproject,
        title=lambda data, language: {
            "kk": "Мұрағатқа беру актісі ({bag})",
            "ru": "Акт передачи в архив ({bag})",
            "en": "Act of transfer to the archive ({bag})",
        }[language].format(bag=data.get("bag_identifier", "")),
        search_text=lambda document, version: " ".join(
            [str(version.data.get("archive", "")), str(version.data.get("bag_identifier", ""))]
            + [str(item.get("registry_number", "")) for item in version.data.get("records", [])[:1000]]
        ),
        sample_data={
            "archive": "Центральный государственный архив",
            "grounds": "Истечение срока ведомственного хранения",
            "bag_identifier": "TR-2026-00001",
            "payload_oxum": "1024.4",
            "manifest_sha256": "0" * 64,
            "release": False,
            "records": [{"document_id": 1}],
        },
    )
)
