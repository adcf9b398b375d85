"""Checkpoints of the audit chain and of the access log: sealed, timestamped, kept outside the database.

A hash chain inside the database it protects proves nothing against someone who can rewrite the
database: they re-hash the tail and fix the head row. A checkpoint pins the chain from outside. It
is a small canonical JSON (the chain head's event id, hash and count; the access log's last read,
count and running digest; the time; the hash of the previous checkpoint), signed with the
organisation's seal in a detached CMS signature that carries an RFC 3161 timestamp of the configured
TSA. Checkpoints are written to the blob storage under ``audit-checkpoints/`` (``NNNNNNNN.json``
holds the signed bytes, ``NNNNNNNN.p7s`` the signature), never to a database table, and
``audit checkpoints export --out DIR`` copies them with an ``index.json`` for an off-site copy, which
``audit verify --checkpoints DIR`` can verify against.

They are taken by ``manage.py audit checkpoint`` and by the scheduled integrity task
(records/tasks.py). ``audit verify`` checks each checkpoint (seal signature, trusted timestamp, the
link to the previous one) and then the chain and the access log against every genuine one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.models.audit import GENESIS, AccessEvent, AuditEvent, AuditHead, IntegrityState, canonical_json
from records.models.blob import blob_storage
from records.selectors.checkpoints import DIRECTORY, FORMAT, Checkpoint, checkpoint_parse, checkpoints_read
from records.services.audit import ChainReport, audit_record, chain_verify
from signing import api as signing_api
from signing.errors import SigningCapabilityError

# The checkpoint's own time and its timestamp's time may differ by the TSA's distance and clock.
TIMESTAMP_TOLERANCE = dt.timedelta(minutes=10)
READ_BATCH = 5000


def _body(
    *, seq: int, taken_at: dt.datetime, head: tuple[int, str, int], reads: tuple[int, int, str], previous: str
) -> bytes:
    event_id, event_hash, event_count = head
    reads_last_id, reads_count, reads_digest = reads
    return canonical_json(
        {
            "format": FORMAT,
            "seq": seq,
            "taken_at": taken_at.isoformat(),
            "chain": {"event_id": event_id, "hash": event_hash, "count": event_count},
            "reads": {"last_id": reads_last_id, "count": reads_count, "digest": reads_digest},
            "previous": previous,
        }
    ).encode()


def checkpoint_problems(checkpoint: Checkpoint, previous: Checkpoint | None, seal_subject: str) -> list[str]:
    """Why `checkpoint` is not genuine (empty when it is): signature, seal, timestamp, link, order."""
    problems: list[str] = []
    check = signing_api.verify_sealed_bytes(checkpoint.body, checkpoint.signature)
    problems.extend(check.problems)
    if check.intact and check.signer_subject != seal_subject:
        problems.append(f"signed by {check.signer_subject}, not by the organisation seal")
    if check.timestamp_at is not None and abs(check.timestamp_at - checkpoint.taken_at) > TIMESTAMP_TOLERANCE:
        problems.append(
            f"its timestamp says {check.timestamp_at:%Y-%m-%d %H:%M}, the checkpoint {checkpoint.taken_at:%Y-%m-%d %H:%M}"
        )
    expected_seq = previous.seq + 1 if previous else 1
    if checkpoint.seq != expected_seq:
        problems.append(f"checkpoint {expected_seq} is missing before it")
    if checkpoint.previous != (previous.sha256 if previous else ""):
        problems.append("it does not follow the previous checkpoint")
    if previous is not None and (
        checkpoint.event_id < previous.event_id or checkpoint.reads_last_id < previous.reads_last_id
    ):
        problems.append("it seals less than the previous checkpoint")
    return problems


def _seal_subject() -> str:
    try:
        return signing_api.seal_subject()
    except (SigningCapabilityError, OSError) as exc:
        raise RecordsError(
            "no_seal", _("The organisation seal is not available: %(error)s"), error=str(exc)
        ) from exc


def _reads_after(after_id: int, up_to_id: int) -> Iterator[AccessEvent]:
    last = after_id
    while True:
        batch = list(AccessEvent.objects.filter(id__gt=last, id__lte=up_to_id).order_by("id")[:READ_BATCH])
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def read_digest(previous: str, read: AccessEvent) -> str:
    """The running digest of the access log after `read`."""
    return hashlib.sha256((previous + canonical_json(read.payload())).encode()).hexdigest()


def _reads_boundary() -> int:
    """The newest read such that no read with a smaller id can still appear (PostgreSQL: wait for writers)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # SHARE waits for every transaction that is inserting reads: ids below the max are final.
                cursor.execute(f"LOCK TABLE {AccessEvent._meta.db_table} IN SHARE MODE")
        return int(AccessEvent.objects.aggregate(m=Max("id"))["m"] or 0)


def _chain_problem_since(last: Checkpoint | None, head: AuditHead) -> str:
    """Why the chain from the last checkpoint to the head cannot be sealed ('' when it can)."""
    start_id, prev_hash = 0, GENESIS
    if last is not None:
        at = AuditEvent.objects.filter(id=last.event_id).first() if last.event_id else None
        if last.event_id and (at is None or at.hash != last.event_hash):
            return f"event #{last.event_id} no longer matches checkpoint {last.seq}"
        start_id, prev_hash = last.event_id, last.event_hash if last.event_id else GENESIS
    expected = start_id + 1
    for event in (
        AuditEvent.objects.filter(id__gt=start_id, id__lte=head.last_id).order_by("id").iterator(2000)
    ):
        if event.id != expected or event.prev_hash != prev_hash or event.compute_hash() != event.hash:
            return f"event #{expected} is missing, misplaced or altered"
        prev_hash, expected = event.hash, expected + 1
    if expected - 1 != head.last_id or prev_hash != head.last_hash:
        return f"the chain head does not match event #{expected - 1}"
    return ""


def audit_checkpoint_take(*, by: Any = None, only_if_changed: bool = False) -> Checkpoint | None:
    """Seal the chain head and the access log now; with `only_if_changed`, None when nothing new happened.

    The chain since the previous checkpoint is verified first: a chain that no longer matches it is
    refused (RecordsError), never sealed.
    """
    boundary = _reads_boundary()
    seal_subject = _seal_subject()
    with transaction.atomic():
        IntegrityState.objects.bulk_create([IntegrityState(pk=1)], ignore_conflicts=True)
        IntegrityState.objects.select_for_update().get(pk=1)  # one checkpoint at a time
        checkpoints, _problems = checkpoints_read()
        last = checkpoints[-1] if checkpoints else None
        taken_at = timezone.now()
        head = AuditHead.objects.filter(pk=1).first() or AuditHead(last_id=0, last_hash=GENESIS)
        reads_after = last.reads_last_id if last else 0
        up_to = max(boundary, reads_after)
        if only_if_changed and last is not None and up_to == reads_after:
            own = AuditEvent.objects.filter(id=head.last_id, action="audit.checkpoint").exists()
            if head.last_id == last.event_id or (own and head.last_id == last.event_id + 1):
                return None
        if last is not None and checkpoint_problems(last, _previous(checkpoints), seal_subject):
            raise RecordsError(
                "checkpoint_not_genuine",
                _("Checkpoint %(seq)s is not genuine; run audit verify before taking another."),
                seq=last.seq,
            )
        problem = _chain_problem_since(last, head)
        if problem:
            raise RecordsError(
                "audit_chain_broken",
                _(
                    "The audit chain does not verify since the last checkpoint (%(problem)s); nothing was sealed."
                ),
                problem=problem,
            )
        digest, count = (last.reads_digest, last.reads_count) if last else (GENESIS, 0)
        for read in _reads_after(reads_after, up_to):
            digest, count = read_digest(digest, read), count + 1
        event_count = AuditEvent.objects.filter(id__lte=head.last_id).count()
        body = _body(
            seq=(last.seq + 1) if last else 1,
            taken_at=taken_at,
            head=(head.last_id, head.last_hash, event_count),
            reads=(up_to, count, digest),
            previous=last.sha256 if last else "",
        )
        try:
            signature = signing_api.seal_bytes(body)
        except (SigningCapabilityError, OSError) as exc:
            raise RecordsError(
                "seal_failed", _("The checkpoint could not be sealed: %(error)s"), error=str(exc)
            ) from exc
        checkpoint = checkpoint_parse(body, signature)
        _store(checkpoint)
        audit_record(
            actor=by,
            action="audit.checkpoint",
            changes={"seq": checkpoint.seq, "event_id": checkpoint.event_id, "reads_last_id": up_to},
        )
    return checkpoint


def _previous(checkpoints: Sequence[Checkpoint]) -> Checkpoint | None:
    return checkpoints[-2] if len(checkpoints) > 1 else None


def _store(checkpoint: Checkpoint) -> None:
    storage = blob_storage()
    for suffix, content in ((".json", checkpoint.body), (".p7s", checkpoint.signature)):
        name = f"{DIRECTORY}/{checkpoint.name}{suffix}"
        if storage.exists(name):
            raise RecordsError(
                "checkpoint_exists", _("Checkpoint %(seq)s already exists."), seq=checkpoint.seq
            )
        storage.save(name, ContentFile(content))


def checkpoints_export(out: Path) -> list[Checkpoint]:
    """Copy every checkpoint and an index.json to `out` (an off-site copy to verify against later)."""
    checkpoints, _problems = checkpoints_read()
    out.mkdir(parents=True, exist_ok=True)
    for checkpoint in checkpoints:
        (out / f"{checkpoint.name}.json").write_bytes(checkpoint.body)
        (out / f"{checkpoint.name}.p7s").write_bytes(checkpoint.signature)
    index = {"format": FORMAT, "checkpoints": [c.summary() for c in checkpoints]}
    (out / "index.json").write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n")
    audit_record(
        actor=None, action="audit.checkpoints_export", changes={"to": str(out), "count": len(checkpoints)}
    )
    return checkpoints


@dataclass
class ReadsReport:
    """The access log against the checkpoints."""

    ok: bool
    checked: int
    uncovered: int
    problem: str = ""


def reads_verify(checkpoints: Sequence[Checkpoint]) -> ReadsReport:
    """Recompute the running digest of every read and compare it at each checkpoint's last read."""
    pending = sorted(checkpoints, key=lambda c: c.seq)
    digest, count, sealed = GENESIS, 0, 0

    def mismatch(checkpoint: Checkpoint) -> str:
        if checkpoint.reads_count == count and checkpoint.reads_digest == digest:
            return ""
        return (
            f"the reads up to #{checkpoint.reads_last_id} differ from checkpoint {checkpoint.seq}"
            f" ({count} found, {checkpoint.reads_count} sealed): reads were altered, removed or added"
        )

    newest = pending[-1].reads_last_id if pending else 0
    last = 0
    while True:
        batch = list(AccessEvent.objects.filter(id__gt=last).order_by("id")[:READ_BATCH])
        for read in batch:
            while pending and pending[0].reads_last_id < read.id:
                problem = mismatch(pending.pop(0))
                if problem:
                    return ReadsReport(False, count, 0, problem)
            digest, count = read_digest(digest, read), count + 1
            if read.id <= newest:
                sealed = count
        if not batch:
            break
        last = batch[-1].id
    for checkpoint in pending:
        problem = mismatch(checkpoint)
        if problem:
            return ReadsReport(False, count, 0, problem)
    return ReadsReport(True, count, count - sealed)


def audit_verify_anchored(*, progress: Any = None, checkpoints_dir: Path | None = None) -> ChainReport:
    """Check every checkpoint, then the chain and the access log against the genuine ones."""
    checkpoints, problems = checkpoints_read(checkpoints_dir)
    genuine: list[Checkpoint] = []
    not_genuine = problems[0] if problems else ""
    if checkpoints:
        seal_subject = _seal_subject()
        previous: Checkpoint | None = None
        for checkpoint in checkpoints:
            found = checkpoint_problems(checkpoint, previous, seal_subject)
            if found:
                not_genuine = not_genuine or f"checkpoint {checkpoint.seq} is not genuine: {'; '.join(found)}"
                break
            genuine.append(checkpoint)
            previous = checkpoint
    report = chain_verify(anchors=[c.anchor() for c in genuine], progress=progress)
    if report.ok and not_genuine:
        report.ok = False
        report.first_broken_id = (genuine[-1].event_id if genuine else 0) + 1
        report.problem = not_genuine
    reads = reads_verify(genuine)
    report.reads_checked, report.reads_uncovered = reads.checked, reads.uncovered
    if report.ok and not reads.ok:
        report.ok = False
        report.problem = reads.problem
    return report


def audit_verify(progress: Any = None, *, checkpoints_dir: Any = None) -> ChainReport:
    """Verify the chain and the access log against every checkpoint (records/services/checkpoints.py)."""
    return audit_verify_anchored(progress=progress, checkpoints_dir=checkpoints_dir)


def audit_check(*, by: Any, progress: Any = None, checkpoints_dir: Any = None) -> ChainReport:
    """An operator's check of the chain and the access log (audit_verify), recorded in the chain."""
    report = audit_verify(progress=progress, checkpoints_dir=checkpoints_dir)
    audit_record(actor=by, action="audit.verify", changes={"ok": report.ok, "checked": report.checked})
    return report
