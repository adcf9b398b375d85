"""Sealed checkpoints anchor the audit chain: rewrites that re-hash the chain are caught.

Every tamper variant below passes the chain's own walk (``chain_verify`` without anchors, which is
exactly what ``audit verify`` did before checkpoints) and is caught against the checkpoints.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.errors import RecordsError
from records.models import AccessEvent, AuditEvent, AuditHead
from records.models.audit import GENESIS
from records.models.blob import blob_storage
from records.selectors.checkpoints import DIRECTORY, checkpoints_read
from records.services.audit import access_record, audit_record, chain_verify
from records.services.checkpoints import audit_checkpoint_take, audit_verify
from signing import api as signing_api
from signing import detached
from signing.credentials import load_official


def _events(n: int) -> None:
    for i in range(n):
        audit_record(actor=None, action="test.event", changes={"i": i, "text": "Қазақстан"})


def _drop_triggers() -> None:
    """What an intruder with database access does first."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in (
                "auditevent_no_update",
                "auditevent_no_delete",
                "accessevent_no_update",
                "accessevent_no_delete",
            ):
                cur.execute(f"DROP TRIGGER records_{name}")
        else:
            cur.execute("DROP TRIGGER records_auditevent_append_only ON records_auditevent")
            cur.execute("DROP TRIGGER records_accessevent_append_only ON records_accessevent")


def _rehash_from(first_id: int) -> None:
    """Recompute every hash from `first_id` on and fix the head row, so the chain is consistent again."""
    previous = AuditEvent.objects.get(id=first_id - 1).hash if first_id > 1 else GENESIS
    for event in AuditEvent.objects.filter(id__gte=first_id).order_by("id"):
        event.prev_hash = previous
        event.hash = event.compute_hash()
        AuditEvent.objects.filter(id=event.id).update(prev_hash=event.prev_hash, hash=event.hash)
        previous = event.hash
    last = AuditEvent.objects.order_by("-id").first()
    assert last is not None
    AuditHead.objects.filter(pk=1).update(last_id=last.id, last_hash=last.hash)


def _renumber(from_id: int, shift: int) -> None:
    ids = list(
        AuditEvent.objects.filter(id__gte=from_id)
        .order_by("id" if shift < 0 else "-id")
        .values_list("id", flat=True)
    )
    for event_id in ids:
        AuditEvent.objects.filter(id=event_id).update(id=event_id + shift)


def _rewrite_tail(cp1: int) -> None:
    """Change an event sealed by the second checkpoint, re-hash everything after it, fix the head."""
    AuditEvent.objects.filter(id=cp1 + 2).update(changes={"i": 99, "text": "forged"})
    _rehash_from(cp1 + 2)


def _delete_last(cp1: int) -> None:
    """Delete the newest events (down into the second checkpoint) and point the head at what is left."""
    AuditEvent.objects.filter(id__gte=cp1 + 3).delete()
    _rehash_from(cp1 + 2)


def _renumber_without_one(cp1: int) -> None:
    """Remove one event and renumber the ones after it, so no id is missing."""
    AuditEvent.objects.filter(id=cp1 + 2).delete()
    _renumber(cp1 + 3, -1)
    _rehash_from(cp1 + 2)


def _insert_forged(cp1: int) -> None:
    """Insert a forged event between sealed ones, renumbering the rest up."""
    _renumber(cp1 + 2, +1)
    original = AuditEvent.objects.get(id=cp1 + 3)
    AuditEvent.objects.create(
        id=cp1 + 2,
        created_at=original.created_at,
        actor_repr="rector",
        action="document.approve",
        changes={"forged": True},
        prev_hash="",
        hash="pending",
    )
    _rehash_from(cp1 + 2)


def _append_backdated(cp1: int) -> None:
    """Append a forged event at the end, dated two days ago (before the newest checkpoint)."""
    head = AuditHead.objects.get(pk=1)
    forged = AuditEvent(
        id=head.last_id + 1,
        created_at=timezone.now() - dt.timedelta(days=2),
        actor_repr="rector",
        action="document.approve",
        changes={"forged": True},
        prev_hash=head.last_hash,
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)
    AuditHead.objects.filter(pk=1).update(last_id=forged.id, last_hash=forged.hash)


@pytest.fixture
def sealed_chain(db: Any) -> tuple[int, int]:
    """Events 1-3, checkpoint 1 (its own event #4), events 5-7, checkpoint 2 (event #8), events 9-10."""
    bootstrap_pki(usernames=set())
    _events(3)
    first = audit_checkpoint_take()
    _events(3)
    second = audit_checkpoint_take()
    _events(2)
    assert first is not None and second is not None
    assert (first.event_id, second.event_id) == (3, 7)
    return first.event_id, second.event_id


VARIANTS: dict[str, tuple[Callable[[int], None], Callable[[int, int], int]]] = {
    # variant → (tamper, the event the report must name, from the two checkpoints' event ids)
    "rewrite the tail and the head": (_rewrite_tail, lambda cp1, cp2: cp1 + 1),
    "delete the last events": (_delete_last, lambda cp1, cp2: cp1 + 1),
    "renumber after a deletion": (_renumber_without_one, lambda cp1, cp2: cp1 + 1),
    "insert a forged event": (_insert_forged, lambda cp1, cp2: cp1 + 1),
    "append a forged event": (_append_backdated, lambda cp1, cp2: cp2 + 4),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_each_tamper_variant_passes_the_bare_chain_and_is_caught_by_the_checkpoints(
    sealed_chain: tuple[int, int], variant: str
) -> None:
    cp1, cp2 = sealed_chain
    tamper, expected = VARIANTS[variant]
    assert audit_verify().ok
    _drop_triggers()
    tamper(cp1)
    assert chain_verify().ok, "the chain alone (the old audit verify) does not notice this variant"
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == expected(cp1, cp2), report.problem
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify", "--no-progress")
    assert exc.value.code == 1


def test_a_checkpoint_signed_by_an_official_instead_of_the_seal_is_refused(
    sealed_chain: tuple[int, int], users: dict[str, Any]
) -> None:
    """A forger rewrites the tail, then writes a matching checkpoint 3 with a trusted key that is not the seal."""
    _cp1, cp2 = sealed_chain
    rector = users["rector"]
    bootstrap_pki(usernames={rector.username})
    checkpoints, _ = checkpoints_read()
    last = checkpoints[-1]
    head = AuditHead.objects.get(pk=1)
    body = json.dumps(
        {
            "format": "rectorate-audit-checkpoint/1",
            "seq": last.seq + 1,
            "taken_at": timezone.now().isoformat(),
            "chain": {"event_id": head.last_id, "hash": head.last_hash, "count": head.last_id},
            "reads": {"last_id": 0, "count": 0, "digest": GENESIS},
            "previous": last.sha256,
        }
    ).encode()
    credential = load_official(signing_api.pki_dir(), rector.username, demo_passphrase(rector.username))
    signature = detached.sign_detached(body, credential=credential, tsa=signing_api.timestamper())
    storage = blob_storage()
    from django.core.files.base import ContentFile

    storage.save(f"{DIRECTORY}/{last.seq + 1:08d}.json", ContentFile(body))
    storage.save(f"{DIRECTORY}/{last.seq + 1:08d}.p7s", ContentFile(signature))
    report = audit_verify()
    assert not report.ok
    assert "not genuine" in report.problem and "not by the organisation seal" in report.problem
    assert report.first_broken_id == cp2 + 1  # the first event after the last genuine checkpoint


def test_a_checkpoint_edited_after_sealing_is_refused(sealed_chain: tuple[int, int]) -> None:
    """Someone rewrote the chain and edited checkpoint 2's hash to match: the seal's signature no longer fits."""
    cp1, _cp2 = sealed_chain
    _drop_triggers()
    _rewrite_tail(cp1)
    path = Path(blob_storage().path(f"{DIRECTORY}/00000002.json"))
    data = json.loads(path.read_bytes())
    data["chain"]["hash"] = AuditEvent.objects.get(id=7).hash
    path.write_bytes(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
    report = audit_verify()
    assert not report.ok
    assert "checkpoint 2 is not genuine" in report.problem
    assert "does not match the signed content" in report.problem
    assert report.first_broken_id == cp1 + 1


def test_an_exported_copy_catches_what_deleting_the_newest_checkpoint_hides(
    sealed_chain: tuple[int, int], tmp_path: Path
) -> None:
    """The store on this machine can lose its newest checkpoint; the off-site export cannot."""
    cp1, _cp2 = sealed_chain
    call_command("audit", "checkpoints", "export", "--out", str(tmp_path))
    index = json.loads((tmp_path / "index.json").read_text())
    assert [c["seq"] for c in index["checkpoints"]] == [1, 2]
    assert index["checkpoints"][1]["event_id"] == 7
    _drop_triggers()
    _rewrite_tail(cp1)
    for suffix in ("json", "p7s"):
        blob_storage().delete(f"{DIRECTORY}/00000002.{suffix}")
    assert audit_verify().ok  # the store alone no longer knows checkpoint 2
    report = audit_verify(checkpoints_dir=tmp_path)
    assert not report.ok and report.first_broken_id == cp1 + 1


def test_a_broken_chain_is_not_sealed(sealed_chain: tuple[int, int]) -> None:
    cp1, _cp2 = sealed_chain
    _drop_triggers()
    _rewrite_tail(cp1)
    with pytest.raises(RecordsError) as exc:
        audit_checkpoint_take()
    assert exc.value.code == "audit_chain_broken"
    assert len(checkpoints_read()[0]) == 2


def test_the_command_seals_a_checkpoint_timestamped_by_the_tsa(db: Any, capsys: Any) -> None:
    bootstrap_pki(usernames=set())
    _events(2)
    call_command("audit", "checkpoint")
    assert "Checkpoint 1: event #2 (2 events)" in capsys.readouterr().out
    (checkpoint,), problems = checkpoints_read()
    assert problems == []
    check = signing_api.verify_sealed_bytes(checkpoint.body, checkpoint.signature)
    assert check.ok and check.signer_subject == signing_api.seal_subject()
    assert check.timestamp_at is not None and abs(check.timestamp_at - checkpoint.taken_at) < dt.timedelta(
        minutes=1
    )
    assert AuditEvent.objects.filter(action="audit.checkpoint").count() == 1
    call_command("audit", "verify", "--no-progress")
    assert "1 checkpoints" in capsys.readouterr().out


def test_reads_are_sealed_too(db: Any) -> None:
    """A read altered or removed before the newest checkpoint is caught; reads after it are counted as unsealed."""
    bootstrap_pki(usernames=set())
    for i in range(4):
        access_record(actor=None, action="search.query", details={"q": f"query {i}"})
    audit_checkpoint_take()
    access_record(actor=None, action="search.query", details={"q": "later"})
    report = audit_verify()
    assert report.ok and (report.reads_checked, report.reads_uncovered) == (5, 1)
    _drop_triggers()
    first = AccessEvent.objects.order_by("id").first()
    assert first is not None
    AccessEvent.objects.filter(id=first.id).delete()
    report = audit_verify()
    assert not report.ok and "reads" in report.problem


def test_the_database_refuses_to_change_reads(db: Any) -> None:
    from django.db import DatabaseError, transaction

    access_record(actor=None, action="document.view")
    for sql in ("UPDATE records_accessevent SET action='x'", "DELETE FROM records_accessevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AccessEvent.objects.count() == 1


def test_the_schedule_keeps_one_run_waiting_and_each_run_schedules_the_next(db: Any, settings: Any) -> None:
    """With the worker's database backend: one integrity run waits; a run seals a checkpoint and re-enqueues."""
    from django_tasks_db.models import DBTaskResult

    from records.tasks import INTEGRITY_TASK, integrity_run, integrity_schedule

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    bootstrap_pki(usernames=set())
    _events(2)
    assert integrity_schedule() is True
    assert integrity_schedule() is False  # already waiting
    assert DBTaskResult.objects.filter(task_path=INTEGRITY_TASK, status="READY").count() == 1
    result = integrity_run.call()  # what the worker does with it
    assert result["checkpoint"] == 1
    runs = DBTaskResult.objects.filter(task_path=INTEGRITY_TASK, status="READY").order_by("run_after")
    assert runs.count() == 2
    assert runs.last().run_after > timezone.now() + dt.timedelta(minutes=59)  # type: ignore[union-attr]


def test_a_run_left_running_by_a_killed_worker_does_not_end_the_schedule(db: Any, settings: Any) -> None:
    """A worker killed during an integrity run leaves its row RUNNING; past the run's bound the schedule
    enqueues a new run instead of taking the dead one for a live one."""
    from django_tasks_db.models import DBTaskResult

    from records.tasks import INTEGRITY_RUN_BOUND, INTEGRITY_TASK, integrity_schedule

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert integrity_schedule() is True
    row = DBTaskResult.objects.get(task_path=INTEGRITY_TASK, status="READY")
    row.status = "RUNNING"
    row.started_at = timezone.now() - dt.timedelta(minutes=5)
    row.save()
    assert integrity_schedule() is False  # a live run: nothing more is queued
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - INTEGRITY_RUN_BOUND - dt.timedelta(minutes=1)
    )
    assert integrity_schedule() is True  # the worker died with it
    assert DBTaskResult.objects.filter(task_path=INTEGRITY_TASK, status="READY").count() == 1
