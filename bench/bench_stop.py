"""Batch-signing Stop latency: from the Stop request to the batch's "stopped", over several tries.

Usage:
    .venv/bin/python bench/bench_stop.py [--tries 10] [--docs 3]

Seeds a fresh database (an org, its officials, the local PKI), renders ``--docs`` internal orders per
try up to the rector's signature (real LibreOffice), starts a real batch signing the way the back
office does (the batch runs in a background thread of this process, tasks left to a worker), waits
until the first document is being signed, then after a random pause of 0-1 s requests Stop (the
same service the Stop button calls) and polls the job every 5 ms until it is stopped. Prints, per
try, the latency from the request to "stopped", how long the document being signed still needed,
how many documents were signed and whether any document was started after the request; then the
median, p95 and max of the latency and of its part after the current document ended. The issue's target: Stop takes
effect after the current document, within 1 s of the request (before: 6-12 s, and in 2 of 4 tries
none).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 1.0


def setup() -> None:
    """A fresh SQLite database and data directory under the test settings, tasks left to a worker."""
    os.environ.setdefault("RECTORATE_DATA_DIR", tempfile.mkdtemp(prefix="rectorate-bench-stop-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.test"
    import django
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed() -> tuple[dict[str, Any], Any]:
    """The org and one user per staff role; the PKI with the rector's key."""
    from records.demo.pki import bootstrap_pki
    from records.models import Role
    from tests.factories import ROLE_UNITS, make_org, make_staff

    org = make_org()
    users = {role: make_staff(role, role, getattr(org, where)) for role, where in ROLE_UNITS.items()}
    bootstrap_pki(usernames={users[Role.RECTOR].username})
    return users, org


def waiting_for_rector(users: dict[str, Any], org: Any, title: str) -> Any:
    """An internal order approved, rendered and waiting for the rector's signature."""
    from records.models import Role
    from records.services.document import document_create, document_transition

    data = {"subject": title, "body": "Текст приказа для замера остановки.", "executor": "Регистратор"}
    document = document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title=title, data=data
    )
    for name, role in (("submit", Role.DEAN), ("approve", Role.RECTOR), ("start_signing", Role.REGISTRAR)):
        document = document_transition(document=document, by=users[role], name=name)
    return document


def one_try(users: dict[str, Any], org: Any, index: int, docs: int, rng: random.Random) -> dict[str, Any]:
    """Start a batch of ``docs`` documents, request Stop during the first one, time it."""
    from records.demo.pki import demo_passphrase
    from records.errors import RecordsError
    from records.models import AuditEvent, Job, Role
    from records.services import signature as signature_service
    from records.services.batch_signing import batch_sign_start, batch_sign_stop

    rector = users[Role.RECTOR]
    documents = [waiting_for_rector(users, org, f"Приказ {index}.{n}") for n in range(docs)]
    started: list[tuple[float, int]] = []
    finished: list[float] = []
    first_started = threading.Event()
    real_sign = signature_service.document_sign

    def sign(*, document: Any, by: Any, passphrase: str) -> Any:
        started.append((time.perf_counter(), document.pk))
        first_started.set()
        try:
            return real_sign(document=document, by=by, passphrase=passphrase)
        finally:
            finished.append(time.perf_counter())

    signature_service.document_sign = sign  # type: ignore[assignment]  # only to see when each item starts
    try:
        job = batch_sign_start(
            by=rector, document_ids=[d.pk for d in documents], passphrase=demo_passphrase(rector.username)
        )
        if not first_started.wait(timeout=120):
            raise SystemExit("the batch never started signing")
        time.sleep(rng.uniform(0.0, 1.0))
        requested = time.perf_counter()
        try:
            batch_sign_stop(job=Job.objects.get(pk=job.pk), by=rector)
        except RecordsError as error:  # the whole batch ended before the pause did: not a Stop to time
            if error.code != "not_running":
                raise
            return {"state": "ended before Stop", "latency": None}
        answered = time.perf_counter()
        deadline = requested + 120
        while time.perf_counter() < deadline:
            job.refresh_from_db()
            if job.state not in (Job.State.PENDING, Job.State.RUNNING):
                break
            time.sleep(0.005)
        stopped = time.perf_counter()
    finally:
        signature_service.document_sign = real_sign  # type: ignore[assignment]
    after = [pk for moment, pk in started if moment > requested]
    current_done = next((moment for moment in finished if moment > requested), requested)
    return {
        "state": job.state,
        "latency": stopped - requested,
        "current": current_done - requested,
        "request": answered - requested,
        "signed": job.done,
        "started_after_request": len(after),
        "stop_events": AuditEvent.objects.filter(action="job.stop", object_id=str(job.pk)).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--docs", type=int, default=10)
    args = parser.parse_args()
    setup()
    users, org = seed()
    rng = random.Random(11)
    print(f"{args.tries} tries of {args.docs} documents; load average {os.getloadavg()[0]:.1f}")
    latencies, overheads = [], []
    for index in range(args.tries):
        result = one_try(users, org, index, args.docs, rng)
        if result["latency"] is None:
            print(f"  try {index + 1:>2}: the batch {result['state']} (more --docs make it longer)")
            continue
        latencies.append(result["latency"])
        overheads.append(result["latency"] - result["current"])
        print(
            f"  try {index + 1:>2}: {result['state']:<8} {result['latency'] * 1000:7.0f} ms from Stop to stopped "
            f"(the Stop request itself {result['request'] * 1000:5.0f} ms, the current document still needed "
            f"{result['current'] * 1000:5.0f} ms); signed {result['signed']}/{args.docs}; "
            f"documents started after the request: {result['started_after_request']}"
        )
    if not latencies:
        raise SystemExit("no try requested Stop while the batch ran; use more --docs")
    for label, values in (("Stop to stopped", latencies), ("after the current document ended", overheads)):
        values.sort()
        p95 = values[max(0, math.ceil(len(values) * 0.95) - 1)]
        print(
            f"{label}: median {statistics.median(values) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {values[-1] * 1000:.0f} ms"
        )
    print(f"target: < {TARGET_SECONDS * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
