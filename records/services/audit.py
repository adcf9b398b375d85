"""Writing and verifying the hash-chained audit trail, and the access log of reads beside it.

Actions that change something go into the chain (``audit_record``): one event per action, appended
under the chain head's lock in the caller's transaction. Reads (a document viewed, a file
downloaded, a search run, a report read) go into the access log (``access_record``): one plain
INSERT, no lock on the chain head, sealed later by the checkpoints (records/services/checkpoints.py).

Under load (settings ``RECTORATE_ACCESS_LOG_BATCH`` > 1, the run and production profiles) a web
process does not write a read in the request at all: the rows queue in the process and a flusher
thread inserts them in one transaction every ``RECTORATE_ACCESS_LOG_WAIT`` seconds (or as soon as a
batch is full), so a page view costs no database write and no wait on SQLite's write lock. The
process flushes on exit; a process killed outright loses at most the reads of that last interval.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from records.models.audit import GENESIS, AccessEvent, AuditEvent, AuditHead, canonical_json
from records.selectors.checkpoints import Anchor


def actor_repr(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    return user.get_username()


def audit_record(
    *,
    actor: Any,
    action: str,
    document: Any = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str | int = "",
) -> AuditEvent:
    """Append one event to the chain. Runs inside the caller's transaction (or its own)."""
    with transaction.atomic():
        AuditHead.objects.bulk_create([AuditHead(pk=1)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            id=head.last_id + 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_repr=actor_repr(actor),
            action=action,
            document=document,
            object_type=object_type,
            object_id=str(object_id),
            changes=changes or {},
            prev_hash=head.last_hash,
        )
        # JSON round trip so the hash is computed over exactly what the database stores.
        event.changes = _jsonable(event.changes)
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(last_id=event.id, last_hash=event.hash)
    return event


@dataclass(frozen=True)
class PendingEvent:
    """An event of a batch, appended by `audit_record_many` in the order given."""

    actor: Any
    action: str
    document: Any = None
    changes: dict[str, Any] | None = None
    object_type: str = ""
    object_id: str | int = ""


def audit_record_many(events: Sequence[PendingEvent]) -> list[AuditEvent]:
    """Append many events to the chain at once (a batch): one lock of the chain head, one INSERT of
    them all, one update of the head. Each event is hashed over its predecessor exactly as
    `audit_record` would have chained them one by one. Runs inside the caller's transaction."""
    if not events:
        return []
    with transaction.atomic():
        AuditHead.objects.bulk_create([AuditHead(pk=1)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
        last_id, last_hash = head.last_id, head.last_hash
        now = timezone.now()
        rows = []
        for pending in events:
            event = AuditEvent(
                id=last_id + 1,
                created_at=now,
                actor=pending.actor if getattr(pending.actor, "is_authenticated", False) else None,
                actor_repr=actor_repr(pending.actor),
                action=pending.action,
                document=pending.document,
                object_type=pending.object_type,
                object_id=str(pending.object_id),
                changes=_jsonable(pending.changes or {}),
                prev_hash=last_hash,
            )
            event.hash = event.compute_hash()
            last_id, last_hash = event.id, event.hash
            rows.append(event)
        AuditEvent.objects.bulk_create(rows, batch_size=500)
        AuditHead.objects.filter(pk=1).update(last_id=last_id, last_hash=last_hash)
    return rows


def access_record(
    *, actor: Any, action: str, document: Any = None, details: dict[str, Any] | None = None
) -> AccessEvent:
    """Record a read (who read which record, when): a plain INSERT that never waits for the chain head,
    or, when batching (RECTORATE_ACCESS_LOG_BATCH > 1), a row queued for the flusher thread."""
    event = AccessEvent(
        created_at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_repr=actor_repr(actor),
        action=action,
        document=document,
        details=_jsonable(details or {}),
    )
    batch = int(getattr(settings, "RECTORATE_ACCESS_LOG_BATCH", 1))
    if batch <= 1:
        event.save()
        return event
    with _QUEUE.lock:
        _QUEUE.rows.append(event)
        full = len(_QUEUE.rows) >= batch
        _QUEUE.start()
    if full:
        _QUEUE.wake.set()
    return event


class _AccessQueue:
    """The reads of this process not yet written, and the daemon thread that writes them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[AccessEvent] = []
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self.pid = 0

    def start(self) -> None:  # under self.lock
        import os

        if self.thread is not None and self.pid == os.getpid() and self.thread.is_alive():
            return
        self.pid = os.getpid()  # a forked child starts its own thread
        self.thread = threading.Thread(target=self.run, name="access-log-flusher", daemon=True)
        self.thread.start()

    def run(self) -> None:
        wait = float(getattr(settings, "RECTORATE_ACCESS_LOG_WAIT", 1.0))
        while True:
            self.wake.wait(wait)
            self.wake.clear()
            try:
                access_flush()
            except Exception:
                import logging

                logging.getLogger(__name__).exception("access log flush failed; retrying")
            finally:
                close_old_connections()

    def take(self) -> list[AccessEvent]:
        with self.lock:
            rows, self.rows = self.rows, []
        return rows

    def put_back(self, rows: list[AccessEvent]) -> None:
        with self.lock:
            self.rows[:0] = rows


_QUEUE = _AccessQueue()


def access_flush() -> int:
    """Write the queued reads of this process in one transaction; returns how many."""
    rows = _QUEUE.take()
    if not rows:
        return 0
    try:
        with transaction.atomic():
            AccessEvent.objects.bulk_create(rows, batch_size=500)
    except Exception:
        _QUEUE.put_back(rows)
        raise
    return len(rows)


def access_pending() -> int:
    """How many reads of this process wait for the flusher."""
    with _QUEUE.lock:
        return len(_QUEUE.rows)


@atexit.register
def _flush_at_exit() -> None:
    if _QUEUE.rows:
        try:
            access_flush()
        finally:
            connection.close()


def _jsonable(value: Any) -> Any:
    """What the database stores: JSON types only, without NUL characters (PostgreSQL's jsonb refuses them)."""
    return _without_nul(json.loads(canonical_json(value)))


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


# An event appended after a checkpoint may carry a time a little before it: its time is taken under
# the chain head's lock, and the checkpoint reads the head after that transaction commits.
CLOCK_SKEW = dt.timedelta(minutes=10)


@dataclass
class ChainReport:
    """Result of verifying the audit chain (and, through the checkpoints, the access log)."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""
    checkpoints: int = 0  # genuine checkpoints the chain was checked against
    last_good_checkpoint: int | None = None  # its sequence number
    uncovered: int = 0  # events after the newest checkpoint: internally consistent, sealed by none yet
    reads_checked: int = 0
    reads_uncovered: int = 0


def _events() -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last).order_by("id")[:5000])
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def chain_verify(*, anchors: Sequence[Anchor] = (), progress: Any = None) -> ChainReport:
    """Walk the chain from the first event and against every anchor; name the first untrusted event.

    A break inside the chain (an altered, missing or misplaced event) names that event. A chain that
    is consistent in itself but differs from a checkpoint (rewritten and re-hashed, cut short,
    renumbered) names the first event after the last checkpoint that still matches: from there on
    nothing can be trusted. An event after the newest checkpoint dated before it was appended
    later (a forgery).
    """
    pending = sorted(anchors, key=lambda a: (a.event_id, a.seq))
    newest = pending[-1] if pending else None
    good: Anchor | None = None
    while pending and pending[0].event_id == 0:  # sealed before the first event: nothing to compare
        good = pending.pop(0)
    prev_hash = GENESIS
    expected_id = 1
    checked = 0

    def report(ok: bool, first: int | None = None, problem: str = "") -> ChainReport:
        return ChainReport(
            ok,
            checked,
            first,
            problem,
            checkpoints=len(anchors),
            last_good_checkpoint=good.seq if good else None,
            uncovered=checked - (newest.event_id if newest else 0) if ok else 0,
        )

    def after_good() -> int:
        return (good.event_id if good else 0) + 1

    for event in _events():
        if event.id != expected_id:
            return report(False, expected_id, f"event #{expected_id} is missing")
        if event.prev_hash != prev_hash:
            return report(False, event.id, f"event #{event.id} does not follow its predecessor")
        if event.compute_hash() != event.hash:
            return report(False, event.id, f"event #{event.id} was altered")
        prev_hash = event.hash
        expected_id += 1
        checked += 1
        while pending and pending[0].event_id == event.id:
            anchor = pending.pop(0)
            if event.hash != anchor.event_hash or checked != anchor.event_count:
                return report(
                    False,
                    after_good(),
                    f"event #{event.id} differs from checkpoint {anchor.seq} of {anchor.taken_at:%Y-%m-%d %H:%M}:"
                    f" the chain was rewritten after event #{after_good() - 1}",
                )
            good = anchor
        if (
            newest is not None
            and not pending
            and event.id > newest.event_id
            and event.created_at < newest.taken_at - CLOCK_SKEW
        ):
            return report(
                False,
                event.id,
                f"event #{event.id} is dated {event.created_at:%Y-%m-%d %H:%M}, before checkpoint"
                f" {newest.seq} of {newest.taken_at:%Y-%m-%d %H:%M} that does not contain it: it was added later",
            )
        if progress is not None:
            progress(1)
    if pending:
        anchor = pending[0]
        return report(
            False,
            after_good(),
            f"the chain ends at event #{checked}, but checkpoint {anchor.seq} of"
            f" {anchor.taken_at:%Y-%m-%d %H:%M} sealed event #{anchor.event_id}: events were removed",
        )
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id != checked or head.last_hash != prev_hash):
        return report(False, checked + 1, f"events after #{checked} were removed")
    return report(True)
