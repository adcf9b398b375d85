"""Integrity benchmarks: what auditing a read costs (chain event vs access log), with concurrent readers,
sealing a checkpoint, and `audit verify` against checkpoints.

Usage:
    .venv/bin/python bench/bench_integrity.py [--db sqlite|postgres] [--reads 2000] [--threads 4] [--events 200000]

Creates a fresh database (SQLite in a temp dir, or a PostgreSQL database next to the one of
scripts/postgres.sh), prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.test"
    if db == "postgres":
        url = subprocess.check_output([str(ROOT / "scripts/postgres.sh")], text=True).strip()
        os.environ["RECTORATE_TEST_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/rectorate_bench_integrity"
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS rectorate_bench_integrity")
            conn.execute("CREATE DATABASE rectorate_bench_integrity")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(label: str, n: int, work: Callable[[], None]) -> float:
    t0 = time.perf_counter()
    work()
    elapsed = time.perf_counter() - t0
    print(f"  {label}: {n} in {elapsed:.2f} s = {n / elapsed:,.0f}/s ({1000 * elapsed / n:.2f} ms each)")
    return elapsed


def bench_reads(n: int, threads: int) -> None:
    from django.db import connection

    from records.services.audit import access_record, audit_record

    def chain() -> None:
        for i in range(n):
            audit_record(actor=None, action="document.view", changes={"i": i})

    def log() -> None:
        for i in range(n):
            access_record(actor=None, action="document.view", details={"i": i})

    print("== one reader")
    timed("read audited as a chain event (before)", n, chain)
    timed("read audited in the access log (now)", n, log)

    def concurrent(record: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            def worker() -> None:
                try:
                    record()
                finally:
                    connection.close()

            pool = [threading.Thread(target=worker) for _ in range(threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()

        return run

    print(f"== {threads} concurrent readers")
    timed("reads as chain events (before)", n * threads, concurrent(chain))
    timed("reads in the access log (now)", n * threads, concurrent(log))


def bench_checkpoint(n_events: int) -> None:
    from django.utils import timezone

    from records.demo.pki import bootstrap_pki
    from records.models.audit import AuditEvent, AuditHead
    from records.services.checkpoints import audit_checkpoint_take, audit_verify

    bootstrap_pki(usernames=set())
    head = AuditHead.objects.get_or_create(pk=1)[0]
    prev, last_id = head.last_hash, head.last_id
    now = timezone.now()
    batch = []
    for i in range(n_events):
        event = AuditEvent(
            id=last_id + 1,
            created_at=now,
            actor_repr="bench",
            action="bench.event",
            changes={"i": i},
            prev_hash=prev,
        )
        event.hash = event.compute_hash()
        prev, last_id = event.hash, event.id
        batch.append(event)
        if len(batch) == 10000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    if batch:
        AuditEvent.objects.bulk_create(batch)
    AuditHead.objects.filter(pk=1).update(last_id=last_id, last_hash=prev)
    print(f"== checkpoints over {last_id} events")
    t0 = time.perf_counter()
    first = audit_checkpoint_take()
    print(f"  first checkpoint (walks the whole chain): {time.perf_counter() - t0:.2f} s")
    from records.services.audit import access_record, audit_record

    for i in range(1000):
        audit_record(actor=None, action="bench.more", changes={"i": i})
        access_record(actor=None, action="document.view", details={"i": i})
    t0 = time.perf_counter()
    second = audit_checkpoint_take()
    print(f"  next checkpoint after 1,000 events and 1,000 reads: {time.perf_counter() - t0:.2f} s")
    assert first is not None and second is not None
    t0 = time.perf_counter()
    report = audit_verify()
    print(
        f"  audit verify against {report.checkpoints} checkpoints: {report.checked} events,"
        f" {report.reads_checked} reads in {time.perf_counter() - t0:.1f} s (ok={report.ok})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    os.environ.setdefault("RECTORATE_DATA_DIR", tempfile.mkdtemp(prefix="rectorate-bench-"))
    setup(args.db)
    print(f"== integrity bench on {args.db}")
    bench_reads(args.reads, args.threads)
    bench_checkpoint(args.events)


if __name__ == "__main__":
    main()
