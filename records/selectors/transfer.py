"""Reads of transfers to the archive: which records a selection names, what goes into each record's
folder of a bag (version data, signed PDFs, audit events with their chain hashes, validation report),
and the transfers for the archivist's page.

Everything a bag needs of a chunk of documents is read in a fixed number of queries per chunk
(documents, versions, signatures, archive renewals, audit events), so an export of a whole series
costs the same per document whatever its size; blobs are streamed, never read whole into memory
(the one exception: the current PDF is read once to verify it).
"""

from __future__ import annotations

import datetime as dt
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.lifecycle import State
from records.models import (
    ArchiveTimestamp,
    ArchiveTransfer,
    AuditEvent,
    Document,
    OrgUnit,
    Signature,
    TransferredRecord,
    Version,
)
from records.permissions import may_transfer, visible_documents_q
from records.selectors.fileplan import documents_in_series, series_by_index

# A record leaves for the archive once registered; a disposed one has nothing left to send.
TRANSFERABLE_STATES = (State.REGISTERED, State.REVOKED, State.SUPERSEDED, State.ARCHIVED)


@dataclass(frozen=True)
class Selection:
    """What to export: a series of the file plan, or documents by id, or by kind and registration dates."""

    series: str = ""
    ids: tuple[int, ...] = ()
    kind: str = ""
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "series": self.series,
            "ids": list(self.ids),
            "kind": self.kind,
            "registered_from": self.registered_from.isoformat() if self.registered_from else None,
            "registered_to": self.registered_to.isoformat() if self.registered_to else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Selection:
        def day(value: Any) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(
            series=str(data.get("series") or ""),
            ids=tuple(int(i) for i in data.get("ids") or ()),
            kind=str(data.get("kind") or ""),
            registered_from=day(data.get("registered_from")),
            registered_to=day(data.get("registered_to")),
        )

    @property
    def empty(self) -> bool:
        return not (self.series or self.ids or self.kind)


def _series_documents(index: str) -> QuerySet[Document]:
    """The documents filed in the file plan's series `index` (in the nomenclature in force today)."""
    series = series_by_index(index)
    if series is None:
        raise RecordsError("unknown_series", _("The file plan has no series %(index)s."), index=index)
    return documents_in_series(series)


def documents_for_transfer(*, selection: Selection, user: Any = None) -> QuerySet[Document]:
    """The registered records `selection` names, by id; `user` None: the operator (every record)."""
    if selection.empty:
        raise RecordsError("empty_selection", _("Choose a series, documents or a kind to transfer."))
    documents = Document.objects.filter(state__in=TRANSFERABLE_STATES)
    if selection.series:
        documents = documents.filter(pk__in=_series_documents(selection.series).values("pk"))
    if selection.ids:
        documents = documents.filter(pk__in=selection.ids)
    if selection.kind:
        documents = documents.filter(kind=selection.kind)
    if selection.registered_from:
        documents = documents.filter(registered_at__date__gte=selection.registered_from)
    if selection.registered_to:
        documents = documents.filter(registered_at__date__lte=selection.registered_to)
    if user is not None:
        documents = documents.filter(visible_documents_q(user))
    return documents.order_by("id")


def university_unit() -> OrgUnit | None:
    """The university (the root of the org tree)."""
    return OrgUnit.objects.filter(parent=None).order_by("id").first()


def university_name() -> str:
    """The name of the university, for the bag's Source-Organization."""
    root = university_unit()
    return root.name_ru if root is not None else ""


@dataclass
class RecordContent:
    """What one record's folder of a bag holds (read for a chunk at once)."""

    document: Document
    versions: list[Version] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    renewals: list[ArchiveTimestamp] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)

    def pdf_files(self) -> list[tuple[str, str]]:
        """(file name, blob SHA-256) of the record's PDFs: the final signed revision of each signed
        version, every archival renewal, and the rendered PDF of a version nobody signed."""
        files: list[tuple[str, str]] = []
        signed_versions: set[int] = set()
        latest: dict[int, Signature] = {}
        for signature in self.signatures:
            if signature.void or signature.pdf_blob_id is None:
                continue
            signed_versions.add(signature.version_id)
            best = latest.get(signature.version_id)
            if best is None or (signature.revision, signature.pk) > (best.revision, best.pk):
                latest[signature.version_id] = signature
        for version in self.versions:
            if version.id in latest:
                files.append((f"v{version.number}-signed.pdf", str(latest[version.id].pdf_blob_id)))
            elif version.pdf_blob_id and version.id == self.document.current_version_id:
                files.append((f"v{version.number}.pdf", str(version.pdf_blob_id)))
        for number, renewal in enumerate(self.renewals, 1):
            files.append((f"renewal-{number}.pdf", str(renewal.pdf_blob_id)))
        return files

    def current_pdf(self) -> tuple[str, str] | None:
        """(file name, SHA-256) of the record's authoritative PDF: the newest renewal, else the final
        signed revision of the current version, else its rendering (as document_current_pdf)."""
        files = dict(self.pdf_files())
        if self.renewals:
            name = f"renewal-{len(self.renewals)}.pdf"
            return name, files[name]
        version = next((v for v in self.versions if v.id == self.document.current_version_id), None)
        if version is None:
            return None
        for name in (f"v{version.number}-signed.pdf", f"v{version.number}.pdf"):
            if name in files:
                return name, files[name]
        return None


def record_contents(ids: list[int]) -> list[RecordContent]:
    """The contents of the records `ids` (in id order), in five queries."""
    documents = (
        Document.objects.filter(pk__in=ids)
        .select_related("org_unit", "subject", "superseded_by", "current_version")
        .order_by("id")
    )
    contents = {document.pk: RecordContent(document) for document in documents}
    for version in Version.objects.filter(document_id__in=ids).order_by("document_id", "number"):
        contents[version.document_id].versions.append(version)
    signatures = Signature.objects.filter(document_id__in=ids).order_by("document_id", "revision", "id")
    for signature in signatures:
        contents[signature.document_id].signatures.append(signature)
    for renewal in ArchiveTimestamp.objects.filter(document_id__in=ids).order_by("document_id", "id"):
        contents[renewal.document_id].renewals.append(renewal)
    events = AuditEvent.objects.filter(document_id__in=ids).order_by("id")
    for event in events.iterator(2000):
        contents[event.document_id].events.append(event)  # type: ignore[index]
    return list(contents.values())


def event_record(event: AuditEvent) -> dict[str, Any]:
    """An audit event as the bag keeps it: what was hashed, and the chain's hashes to check it by.

    ``hash`` = SHA-256 of ``prev_hash`` followed by the canonical JSON of ``payload`` (sorted keys,
    no spaces, UTF-8): the README of the bag says how to recompute it."""
    return {"payload": event.payload(), "prev_hash": event.prev_hash, "hash": event.hash}


def transfer_index_rows(ids: list[int]) -> QuerySet[Document, tuple[Any, ...]]:
    """The bag's index: one row per record (number, kind, title, dates), in id order."""
    return (
        Document.objects.filter(pk__in=ids)
        .order_by("id")
        .values_list("id", "registry_number", "kind", "title", "registered_at", "state", "retention_class")
    )


def transfers_visible_to(*, user: Any) -> QuerySet[ArchiveTransfer]:
    """The transfers for the archivist's page (nothing for anyone else), newest first."""
    if not may_transfer(user):
        return ArchiveTransfer.objects.none()
    return ArchiveTransfer.objects.select_related("job", "created_by").order_by("-id")


def transfer_get(*, user: Any, pk: Any) -> ArchiveTransfer | None:
    """One transfer the user may see (None: not found or not theirs to see)."""
    try:
        return transfers_visible_to(user=user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def transfer_find(identifier: str) -> ArchiveTransfer | None:
    """The finished transfer with this bag identifier (the transfer act names it)."""
    return ArchiveTransfer.objects.filter(identifier=identifier, state=ArchiveTransfer.State.DONE).first()


def transfer_for_job(job_id: int) -> ArchiveTransfer | None:
    return ArchiveTransfer.objects.filter(job_id=job_id).first()


def transferred_records(document: Document) -> QuerySet[TransferredRecord]:
    """The registered transfer acts that handed `document` to the archive."""
    return TransferredRecord.objects.filter(document=document).select_related("act")


def documents_transferred(ids: list[int]) -> set[int]:
    """Which of `ids` a registered transfer act has marked transferred."""
    return set(TransferredRecord.objects.filter(document_id__in=ids).values_list("document_id", flat=True))


def transfer_acts(identifiers: list[str]) -> dict[str, Document]:
    """The newest transfer act (any state but disposed) naming each bag identifier, in one query."""
    acts = (
        Document.objects.filter(kind="transfer_act", current_version__data__bag_identifier__in=identifiers)
        .exclude(state=State.DISPOSED)
        .select_related("current_version")
        .order_by("id")
    )
    return {str(act.current_version.data.get("bag_identifier")): act for act in acts if act.current_version}


class _Pipe:
    """A write-only file whose bytes are taken out as they come (a tar or zip written as a stream)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


def bag_archive_stream(transfer: ArchiveTransfer, archive_format: str) -> Iterator[bytes]:
    """The finished bag as a tar or zip stream (one directory named after the bag), a file at a time:
    memory holds at most one megabyte of one file."""
    root = Path(transfer.bag_path)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    pipe = _Pipe()
    if archive_format == "tar":
        with tarfile.open(fileobj=pipe, mode="w|") as tar:  # type: ignore[call-overload]
            for file in files:
                info = tar.gettarinfo(str(file), arcname=f"{root.name}/{file.relative_to(root)}")
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with file.open("rb") as source:
                    tar.addfile(info, source)
                yield pipe.drain()
        yield pipe.drain()
        return
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_STORED) as archive:  # type: ignore[call-overload]
        for file in files:
            name = f"{root.name}/{file.relative_to(root)}"
            with archive.open(name, "w", force_zip64=True) as target, file.open("rb") as source:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
                    yield pipe.drain()
            yield pipe.drain()
    yield pipe.drain()
