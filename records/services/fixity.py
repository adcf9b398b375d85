"""Fixity of the registry: stored data against its hashes, signed PDFs through the verifier, projections
against a replay.

``registry_verify`` runs every check at once (``manage.py registry verify``). ``fixity_step`` runs a
slice of the same checks and remembers where it stopped (IntegrityState), so the scheduled
integrity task walks the whole registry over several runs; the result of the newest complete pass
is shown on the auditor's LTV page.

Checks, in order: every version's data against its ``data_sha256`` (not of disposed documents, whose
data was destroyed); every blob that was not
destroyed at disposal against its SHA-256 (the file read from the store); every registered
document's current signed PDF through the verifier (every signature intact, valid, trusted); the
projection tables against a replay of the registry (``replay --check``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import mail_admins
from django.db import transaction
from django.utils import timezone

from records.errors import RecordsError
from records.lifecycle import State
from records.models import Blob, Document, IntegrityState, Signature, Version
from records.models.audit import canonical_json
from records.models.blob import blob_path, blob_storage
from records.projections.replay import replay
from records.selectors.document import document_current_pdf
from records.services.audit import audit_record
from signing import api as signing_api
from signing.errors import SigningCapabilityError

STAGES = ("versions", "blobs", "pdfs", "projections")
# One scheduled slice: this many items of each kind (PDF verification is the slow one).
SLICE = {"versions": 20000, "blobs": 2000, "pdfs": 100}
KEPT_PROBLEMS = 50


@dataclass
class FixityReport:
    """What was checked (counts per stage) and what is wrong, first problem first."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    problems: list[str] = field(default_factory=list)
    complete: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "complete": self.complete, "counts": self.counts, "problems": self.problems}


def _document_label(document: Document) -> str:
    return document.registry_number or f"document {document.pk}"


def _check_versions(after: int, limit: int | None) -> tuple[int, int, list[str], bool]:
    """Versions with id > after: their data against data_sha256. (checked, last id, problems, finished)."""
    versions = (
        Version.objects.filter(id__gt=after)
        .exclude(data_sha256="")
        .exclude(document__state=State.DISPOSED)  # disposal destroys the data and keeps its hash
        .select_related("document")
        .only("id", "number", "data", "data_sha256", "document__registry_number", "document__id")
        .order_by("id")
    )
    checked, last, problems = 0, after, []
    for version in versions[:limit] if limit else versions.iterator(2000):
        digest = hashlib.sha256(canonical_json(version.data).encode()).hexdigest()
        if digest != version.data_sha256:
            problems.append(
                f"{_document_label(version.document)} v{version.number}: the stored data does not match"
                f" its SHA-256 {version.data_sha256[:12]}… (it was changed after it was written)"
            )
        checked, last = checked + 1, version.id
    return checked, last, problems, limit is None or checked < limit


def _check_blobs(after: str, limit: int | None) -> tuple[int, str, list[str], bool]:
    """Blobs named after `after`, not destroyed: the stored file against the name (its SHA-256)."""
    storage = blob_storage()
    blobs = Blob.objects.filter(sha256__gt=after, destroyed_at=None).order_by("sha256").only("sha256", "size")
    checked, last, problems = 0, after, []
    for blob in blobs[:limit] if limit else blobs.iterator(2000):
        digest = hashlib.sha256()
        try:
            with storage.open(blob_path(blob.sha256), "rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            problems.append(f"blob {blob.sha256}: the file is missing from the store")
        else:
            if digest.hexdigest() != blob.sha256:
                problems.append(f"blob {blob.sha256}: the stored file does not match its SHA-256")
        checked, last = checked + 1, blob.sha256
    return checked, last, problems, limit is None or checked < limit


def _signed_documents(after: int) -> Any:
    signed = Signature.objects.filter(void=False).values("document_id")
    return Document.objects.filter(id__gt=after, state=State.REGISTERED, id__in=signed).order_by("id")


def _check_pdfs(after: int, limit: int | None) -> tuple[int, int, list[str], bool]:
    """Registered, signed documents with id > after: the current signed PDF through the verifier."""
    documents = _signed_documents(after).select_related("current_version")
    checked, last, problems = 0, after, []
    for document in documents[:limit] if limit else documents.iterator(500):
        try:
            pdf = document_current_pdf(document)
            report = signing_api.verify(pdf) if pdf is not None else None
        except RecordsError as exc:
            problems.append(f"{_document_label(document)}: {exc.message}")
        except SigningCapabilityError as exc:
            problems.append(f"{_document_label(document)}: the signed PDF cannot be verified ({exc})")
        else:
            if report is None:
                problems.append(f"{_document_label(document)}: registered and signed, but no PDF is stored")
            elif not report.ok:
                problems.append(
                    f"{_document_label(document)}: the signed PDF does not verify: {'; '.join(report.problems)}"
                )
        checked, last = checked + 1, document.id
    return checked, last, problems, limit is None or checked < limit


def _check_projections() -> tuple[int, list[str]]:
    """The projection tables against a replay of the registry (rolled back)."""
    result = replay(check=True)
    problems = []
    for label in result.rows:
        for title, rows in (
            ("in the table but not produced by a replay", result.missing.get(label, [])),
            ("produced by a replay but not in the table", result.unexpected.get(label, [])),
        ):
            if rows:
                problems.append(f"{label}: {len(rows)} row(s) {title}, e.g. {rows[0]!r}")
    return sum(result.rows.values()), problems


def registry_verify(*, by: Any = None, progress: Callable[[str, int], None] | None = None) -> FixityReport:
    """Every check over the whole registry at once (an operator's check), recorded in the audit chain."""
    report = FixityReport()
    for stage, check in (("versions", _check_versions), ("pdfs", _check_pdfs)):
        count, _last, problems, _done = check(0, None)
        report.counts[stage] = count
        report.problems.extend(problems)
        if progress is not None:
            progress(stage, count)
    count, _last_sha, problems, _done = _check_blobs("", None)
    report.counts["blobs"] = count
    report.problems.extend(problems)
    if progress is not None:
        progress("blobs", count)
    report.counts["projections"], problems = _check_projections()
    report.problems.extend(problems)
    audit_record(actor=by, action="registry.verify", changes={"ok": report.ok, "counts": report.counts})
    return report


def fixity_step() -> IntegrityState:
    """One slice of the checks, continuing where the previous slice stopped; a finished pass is kept."""
    IntegrityState.objects.bulk_create([IntegrityState(pk=1)], ignore_conflicts=True)
    state = IntegrityState.objects.get(pk=1)
    now = timezone.now()
    if state.pass_started_at is None:
        state.pass_started_at = now
        state.pass_counts, state.pass_problems = dict.fromkeys(STAGES, 0), []
        state.version_after, state.blob_after, state.document_after = 0, "", 0
    counts, problems = dict(state.pass_counts), list(state.pass_problems)
    done = False
    count, state.version_after, found, done = _check_versions(state.version_after, SLICE["versions"])
    counts["versions"] = counts.get("versions", 0) + count
    problems.extend(found)
    if done:
        count, state.blob_after, found, done = _check_blobs(state.blob_after, SLICE["blobs"])
        counts["blobs"] = counts.get("blobs", 0) + count
        problems.extend(found)
    if done:
        count, state.document_after, found, done = _check_pdfs(state.document_after, SLICE["pdfs"])
        counts["pdfs"] = counts.get("pdfs", 0) + count
        problems.extend(found)
    if done:
        counts["projections"], found = _check_projections()
        problems.extend(found)
    state.pass_counts, state.pass_problems, state.last_run_at = counts, problems[:KEPT_PROBLEMS], now
    if done:
        state.completed_at, state.completed_ok = now, not problems
        state.completed_counts, state.completed_problems = counts, problems[:KEPT_PROBLEMS]
        state.pass_started_at = None
    with transaction.atomic():
        state.save()
    return state


def fixity_alert(state: IntegrityState) -> None:
    """A pass found problems: an audit event (the archivist's page and dashboard show a banner from the
    newest pass) and, when ADMINS are configured, an email to them."""
    audit_record(
        actor=None,
        action="fixity.failed",
        object_type="fixity",
        object_id=state.completed_at.isoformat() if state.completed_at else "",
        changes={"counts": state.completed_counts, "problems": state.completed_problems},
    )
    if getattr(settings, "ADMINS", None):
        problems = "\n".join(f"- {problem}" for problem in state.completed_problems)
        transaction.on_commit(
            lambda: mail_admins(
                f"Fixity check failed: {len(state.completed_problems)} problem(s)",
                f"The scheduled fixity check of the registry found problems:\n\n{problems}\n",
                fail_silently=True,
            )
        )


def fixity_run() -> IntegrityState:
    """The scheduled task's slice (``fixity_step``); when it completes a pass with problems, the alert."""
    state = fixity_step()
    completed_now = state.pass_started_at is None and state.completed_at == state.last_run_at
    if completed_now and state.completed_ok is False:
        fixity_alert(state)
    return state
