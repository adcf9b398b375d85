"""Transfer to the archive: a series or a selection exported as a BagIt bag (RFC 8493).

A bag holds, per record (``data/records/<document id>/``): ``record.json`` (what the registry knows
of it, with each version's data and its SHA-256), the signed PDF(s), ``events.json`` (its audit
events with the chain's hashes) and ``validation.json`` (our verifier's report of its authoritative
PDF). Beside them: ``index.csv``, ``README.txt`` and ``trust/`` (the PKI's root and intermediate
certificates and current CRLs), so the PDFs verify offline. A bag validates with
``bagit.Bag(path).validate()`` or ``bagit.py --validate``.

The export is a background job (records.services.jobs): one item per chunk of records, written
straight into ``data/`` (blobs streamed and checked against their names, a chunk's rows read in five
queries), each file hashed as it is written into the chunk's part of the manifest; the last item
writes the shared files and the tag files: ``manifest-sha256.txt`` from the parts, ``bagit.txt``,
``bag-info.txt`` (with the bagit library's tag-file writer) and ``tagmanifest-sha256.txt``. Nothing
is read back to be hashed again (bagit's ``make_bag`` would re-read every payload file and then stat
every path of the manifest: twice the export's time for 10,000 records). Memory stays bounded by a
chunk; a resumed job rewrites only unfinished chunks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import bagit
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.kinds.base import get_kind
from records.kinds.transfer_act import KIND_CODE as TRANSFER_ACT_KIND
from records.models import ArchiveTransfer, Document, Job
from records.models.blob import blob_path, blob_storage
from records.selectors.document import documents_by_ids
from records.selectors.holds import held_documents
from records.selectors.transfer import (
    RecordContent,
    Selection,
    documents_for_transfer,
    event_record,
    record_contents,
    transfer_for_job,
    transfer_index_rows,
    university_name,
    university_unit,
)
from records.selectors.verification import registry_status
from records.services.audit import audit_record
from records.services.document import document_create
from records.services.jobs import JobHandler, job_create, job_run, register_job_handler
from signing import api as signing_api
from signing.errors import SigningCapabilityError

JOB_KIND = "archive_export"
CHUNK = 250  # records per job item
BAG_ITEM = "bag"
PARTS = ".parts"  # the chunks' manifest lines until the bag is closed (removed then)
README = """This is a transfer to the archive from the Electronic Rectorate of {university}
(bag {identifier}, {count} records, made {made}).

Layout (BagIt, RFC 8493; validate with `bagit.py --validate <bag>`):
  data/index.csv                  one line per record: id, registry number, kind, title, registered, state
  data/records/<id>/record.json   the record: number, kind, title, unit, dates, state, signatures, PDFs,
                                  and each version's data with its SHA-256 (of the canonical JSON)
  data/records/<id>/*.pdf         the signed PDF of each signed version (PAdES B-LTA), archival renewals
  data/records/<id>/events.json   the record's audit events with the chain's hashes
  data/records/<id>/validation.json  the registry's verification report of the authoritative PDF
  data/trust/roots.pem, intermediates.pem, crls.pem  the university PKI, to verify the PDFs offline

Checking an event: hash = SHA-256( prev_hash + canonical JSON of payload ), where canonical JSON has
sorted keys, no spaces (separators "," and ":"), non-ASCII characters as they are (UTF-8).
Checking a version: data_sha256 = SHA-256( canonical JSON of data ).
Checking a PDF: validate its signatures (e.g. pyHanko) against data/trust/roots.pem as the trust root;
the revocation data the signatures need is embedded in the PDF (PAdES B-LTA).
"""


class _Manifest:
    """The manifest lines of what one item wrote: SHA-256, size and path relative to the bag."""

    def __init__(self, bag: Path) -> None:
        self.bag = bag
        self.lines: list[str] = []

    def add(self, path: Path, digest: str, size: int) -> None:
        self.lines.append(f"{digest} {size} {path.relative_to(self.bag).as_posix()}\n")

    def write_bytes(self, path: Path, content: bytes) -> None:
        path.write_bytes(content)
        self.add(path, hashlib.sha256(content).hexdigest(), len(content))

    def write_json(self, path: Path, value: Any) -> None:
        self.write_bytes(path, json.dumps(value, ensure_ascii=False, default=str).encode())

    def save(self, name: str) -> None:
        parts = self.bag / PARTS
        parts.mkdir(exist_ok=True)
        (parts / f"{name}.txt").write_text("".join(self.lines), encoding="utf-8")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _copy_blob(sha256: str, target: Path, manifest: _Manifest) -> None:
    """Stream a stored blob to `target`, checking it against its name on the way."""
    digest, size = hashlib.sha256(), 0
    with blob_storage().open(blob_path(sha256), "rb") as source, target.open("wb") as out:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        raise RecordsError("blob_corrupt", _("A stored file does not match its SHA-256 %(sha)s."), sha=sha256)
    manifest.add(target, sha256, size)


def _read_blob(sha256: str) -> bytes:
    with blob_storage().open(blob_path(sha256), "rb") as source:
        content: bytes = source.read()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise RecordsError("blob_corrupt", _("A stored file does not match its SHA-256 %(sha)s."), sha=sha256)
    return content


def _validation(content: RecordContent, pdf: bytes | None, verify: Any) -> dict[str, Any]:
    """Our verifier's report of the record's authoritative PDF, with what the registry says of it."""
    status = registry_status(content.document, is_registered_version=pdf is not None)
    result: dict[str, Any] = {"registry": status.__dict__, "validated_at": timezone.now().isoformat()}
    if pdf is None:
        result.update(ok=False, problems=["The registry holds no PDF of this record."])
        return result
    try:
        report = verify(pdf).to_dict()
    except SigningCapabilityError as exc:
        result.update(ok=False, problems=[f"The PDF cannot be verified: {exc}"])
        return result
    result.update(ok=report["ok"], report=report)
    return result


def _record_json(content: RecordContent, pdfs: list[tuple[str, str]], current: str | None) -> dict[str, Any]:
    document = content.document
    numbers = {v.id: v.number for v in content.versions}
    return {
        "id": document.pk,
        "registry_number": document.registry_number,
        "registry_series": document.registry_series,
        "kind": document.kind,
        "kind_name": get_kind(document.kind).names,
        "title": document.title,
        "org_unit": {"code": document.org_unit.code, "name": document.org_unit.name_ru},
        "state": document.state,
        "registered_at": document.registered_at.isoformat() if document.registered_at else None,
        "created_at": document.created_at.isoformat(),
        "retention_class": document.retention_class,
        "verification_code": document.verification_code,
        "superseded_by": document.superseded_by.registry_number if document.superseded_by else None,
        "current_version": document.current_version.number if document.current_version else None,
        "versions": [
            {
                "number": v.number,
                "data": v.data,
                "data_sha256": v.data_sha256,
                "frozen_at": v.frozen_at.isoformat() if v.frozen_at else None,
                "template_version": v.template_version,
                "provenance": v.provenance,
                "pdf_sha256": v.pdf_blob_id,
            }
            for v in content.versions
        ],
        "pdfs": [{"file": name, "sha256": sha} for name, sha in pdfs],
        "authoritative_pdf": current,
        "signatures": [
            {
                "version": numbers.get(s.version_id),
                "step": s.step,
                "role": s.role,
                "signer": s.signer_name,
                "certificate_sha256": s.certificate_sha256,
                "signed_at": s.signed_at.isoformat(),
                "revision": s.revision,
                "pdf_sha256": s.pdf_blob_id,
                "void": s.void,
            }
            for s in content.signatures
        ],
        "events": len(content.events),
    }


def _write_record(content: RecordContent, folder: Path, verify: Any, manifest: _Manifest) -> None:
    """One record's folder of the bag."""
    if folder.exists():
        shutil.rmtree(folder)  # a chunk done again after a crash writes its records afresh
    folder.mkdir(parents=True)
    pdfs = content.pdf_files()
    current = content.current_pdf()
    current_bytes = None
    for name, sha in pdfs:
        if current is not None and name == current[0]:
            current_bytes = _read_blob(sha)
            manifest.write_bytes(folder / name, current_bytes)
        else:
            _copy_blob(sha, folder / name, manifest)
    manifest.write_json(folder / "record.json", _record_json(content, pdfs, current[0] if current else None))
    manifest.write_json(folder / "events.json", [event_record(event) for event in content.events])
    manifest.write_json(folder / "validation.json", _validation(content, current_bytes, verify))


def _chunks(transfer: ArchiveTransfer) -> list[list[int]]:
    ids = list(transfer.document_ids)
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _write_chunk(transfer: ArchiveTransfer, number: int) -> None:
    ids = _chunks(transfer)[number]
    bag = Path(transfer.bag_path)
    root = bag / "data" / "records"
    verify = signing_api.verifier()
    manifest = _Manifest(bag)
    for content in record_contents(ids):
        _write_record(content, root / str(content.document.pk), verify, manifest)
    manifest.save(f"chunk-{number:05d}")


def _bag_info(transfer: ArchiveTransfer, oxum: str) -> dict[str, str]:
    return {
        "Source-Organization": university_name(),
        "External-Identifier": transfer.identifier,
        "Bag-Group-Identifier": transfer.series_index or "selection",
        "Bagging-Date": timezone.localdate().isoformat(),
        "Bag-Software-Agent": f"Electronic Rectorate; bagit.py v{bagit.VERSION}",
        "External-Description": "Records transferred to the archive by the Electronic Rectorate",
        "Internal-Sender-Identifier": _canonical(transfer.selection),
        "Record-Count": str(len(transfer.document_ids)),
        "Payload-Oxum": oxum,
    }


def _write_shared_files(transfer: ArchiveTransfer) -> None:
    """README, trust store and index into the payload (their manifest lines as one more part)."""
    bag = Path(transfer.bag_path)
    data = bag / "data"
    (data / "trust").mkdir(parents=True, exist_ok=True)
    manifest = _Manifest(bag)
    readme = README.format(
        university=university_name(),
        identifier=transfer.identifier,
        count=len(transfer.document_ids),
        made=timezone.localtime().isoformat(timespec="seconds"),
    )
    manifest.write_bytes(data / "README.txt", readme.encode())
    for name, pem in signing_api.trust_bundle().items():
        manifest.write_bytes(data / "trust" / f"{name}.pem", pem.encode("ascii"))
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(["id", "registry_number", "kind", "title", "registered_at", "state", "retention_class"])
    ids = list(transfer.document_ids)
    for start in range(0, len(ids), 5000):
        for row in transfer_index_rows(ids[start : start + 5000]).iterator(2000):
            writer.writerow([v.isoformat() if hasattr(v, "isoformat") else v for v in row])
    manifest.write_bytes(data / "index.csv", index.getvalue().encode())
    manifest.save("shared")


def _close_bag(transfer: ArchiveTransfer) -> str:
    """The tag files from the parts; returns the Payload-Oxum. A bag closed by a run that stopped just
    after is left as it is."""
    bag = Path(transfer.bag_path)
    parts = bag / PARTS
    if not parts.exists() and (bag / "bagit.txt").exists():
        info = dict(
            line.split(": ", 1) for line in (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines()
        )
        return info["Payload-Oxum"]
    _write_shared_files(transfer)
    total_bytes = total_files = 0
    with (bag / "manifest-sha256.txt").open("w", encoding="utf-8") as manifest:
        for part in sorted(parts.iterdir()):
            for line in part.read_text(encoding="utf-8").splitlines():
                digest, size, path = line.split(" ", 2)
                manifest.write(f"{digest}  {path}\n")
                total_bytes, total_files = total_bytes + int(size), total_files + 1
    oxum = f"{total_bytes}.{total_files}"
    (bag / "bagit.txt").write_text(
        "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
    )
    bagit._make_tag_file(str(bag / "bag-info.txt"), _bag_info(transfer, oxum))
    with (bag / "tagmanifest-sha256.txt").open("w", encoding="utf-8") as tagmanifest:
        for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt"):
            tagmanifest.write(f"{hashlib.sha256((bag / name).read_bytes()).hexdigest()}  {name}\n")
    shutil.rmtree(parts)
    return oxum


def _finish(transfer: ArchiveTransfer, job: Job) -> None:
    oxum = _close_bag(transfer)
    manifest = Path(transfer.bag_path) / "manifest-sha256.txt"
    transfer.payload_oxum = oxum
    digest = hashlib.sha256()
    with manifest.open("rb") as lines:
        while block := lines.read(1 << 20):
            digest.update(block)
    transfer.manifest_sha256 = digest.hexdigest()
    transfer.state = ArchiveTransfer.State.DONE
    transfer.finished_at = timezone.now()
    with transaction.atomic():
        transfer.save(update_fields=["payload_oxum", "manifest_sha256", "state", "finished_at"])
        audit_record(
            actor=job.created_by,
            action="transfer.export",
            object_type="transfer",
            object_id=transfer.pk,
            changes={
                "identifier": transfer.identifier,
                "records": len(transfer.document_ids),
                "payload_oxum": transfer.payload_oxum,
                "manifest_sha256": transfer.manifest_sha256,
                "bag": transfer.bag_path,
            },
        )


def _items(job: Job) -> list[str]:
    transfer = transfer_for_job(job.pk)
    if transfer is None:
        return []
    return [f"chunk-{number:05d}" for number in range(len(_chunks(transfer)))] + [BAG_ITEM]


def _process(job: Job, item: str) -> None:
    transfer = transfer_for_job(job.pk)
    if transfer is None:
        raise RecordsError("unknown_transfer", _("The transfer of this job no longer exists."))
    if item == BAG_ITEM:
        if job.failed:
            raise RecordsError(
                "transfer_incomplete", _("Some records could not be written; the bag is not made.")
            )
        _finish(transfer, job)
    else:
        _write_chunk(transfer, int(item.removeprefix("chunk-")))


register_job_handler(JOB_KIND, JobHandler(items=_items, process=_process, label="Transfer to the archive"))


def transfer_directory() -> Path:
    """Where bags exported from the back office are written (RECTORATE_TRANSFER_DIR)."""
    return Path(getattr(settings, "RECTORATE_TRANSFER_DIR", Path(settings.DATA_DIR) / "transfers"))


def transfer_start(
    *, by: Any, selection: Selection, out_dir: Path | None = None, start: bool = True, operator: bool = False
) -> ArchiveTransfer:
    """Create a transfer of the records `selection` names and the job that writes its bag.

    `operator`: a command run by whoever runs the server (every record); else `by`'s scope limits
    what is exported. `start`: enqueue the job for the worker (the command runs it itself)."""
    documents = documents_for_transfer(selection=selection, user=None if operator else by)
    ids = list(documents.values_list("pk", flat=True))
    if not ids:
        raise RecordsError("nothing_to_transfer", _("No registered record matches this selection."))
    directory = Path(out_dir) if out_dir is not None else transfer_directory()
    with transaction.atomic():
        transfer = ArchiveTransfer.objects.create(
            identifier=f"pending-{timezone.now().timestamp()}",
            selection=selection.to_dict(),
            series_index=selection.series,
            document_ids=ids,
            record_count=len(ids),
            created_by=by if getattr(by, "pk", None) else None,
        )
        transfer.identifier = f"TR-{timezone.localdate():%Y}-{transfer.pk:05d}"
        bag = directory / transfer.identifier
        if bag.exists():
            raise RecordsError("bag_exists", _("%(path)s already exists."), path=str(bag))
        bag.mkdir(parents=True)
        transfer.bag_path = str(bag.resolve())
        job = job_create(kind=JOB_KIND, by=by, params={"transfer": transfer.pk}, start=start)
        transfer.job = job
        transfer.save(update_fields=["identifier", "bag_path", "job"])
        audit_record(
            actor=by,
            action="transfer.start",
            object_type="transfer",
            object_id=transfer.pk,
            changes={
                "identifier": transfer.identifier,
                "selection": selection.to_dict(),
                "records": len(ids),
            },
        )
    return transfer


def transfer_export(*, by: Any, selection: Selection, out_dir: Path, progress: Any = None) -> ArchiveTransfer:
    """The operator's export (``manage.py archive export``): the same job, run here; the finished transfer."""
    transfer = transfer_start(by=by, selection=selection, out_dir=out_dir, start=False, operator=True)
    assert transfer.job is not None
    job = job_run(transfer.job.pk, progress=progress)
    transfer.refresh_from_db()
    if transfer.state != ArchiveTransfer.State.DONE:
        problems = sorted({v for v in job.results.values() if v != "ok"})
        raise RecordsError(
            "transfer_failed", _("The bag was not made: %(problems)s"), problems="; ".join(problems)[:500]
        )
    return transfer


def transfer_act_data(
    *, transfer: ArchiveTransfer, archive: str, grounds: str = "", release: bool = False
) -> dict[str, Any]:
    """The data of a transfer act for a finished bag: its identity and the records it holds."""
    if transfer.state != ArchiveTransfer.State.DONE:
        raise RecordsError(
            "transfer_unfinished", _("The bag %(bag)s is not finished yet."), bag=transfer.identifier
        )
    return {
        "archive": archive,
        "grounds": grounds,
        "bag_identifier": transfer.identifier,
        "payload_oxum": transfer.payload_oxum,
        "manifest_sha256": transfer.manifest_sha256,
        "release": release,
        "records": [{"document_id": pk} for pk in transfer.document_ids],
    }


def transfer_act_draft(
    *, by: Any, transfer: ArchiveTransfer, archive: str, grounds: str = "", release: bool = False
) -> Document:
    """Draft the transfer act of a finished bag (owned by the university; the archivist drafts it).

    An act that releases the registry's copy is refused at once while a record of the bag is under
    hold (the engine refuses it again at every step up to registration)."""
    if release:
        held = held_documents(documents_by_ids(list(transfer.document_ids)))
        if held:
            raise RecordsError(
                "held_records",
                _("These records are under hold and cannot be released: %(numbers)s."),
                numbers=", ".join(d.registry_number or str(d.pk) for d in documents_by_ids(sorted(held))),
            )
    university = university_unit()
    if university is None:
        raise RecordsError("no_university", _("The university is not set up yet."))
    return document_create(
        by=by,
        kind=TRANSFER_ACT_KIND,
        org_unit=university,
        title=transfer.identifier,
        data=transfer_act_data(transfer=transfer, archive=archive, grounds=grounds, release=release),
    )
