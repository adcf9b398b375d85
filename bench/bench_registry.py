"""Registry benchmarks: list page over 100k documents, registering 10k documents, audit verify over 1M events.

Usage:
    .venv/bin/python bench/bench_registry.py [--db sqlite|postgres] [--docs 100000] [--register 10000] [--register-bulk 10000 --batch 500] [--events 1000000]

Creates a fresh database (SQLite in a temp dir, or the PostgreSQL database of scripts/postgres.sh),
prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.test"
    if db == "postgres":
        url = subprocess.check_output([str(ROOT / "scripts/postgres.sh")], text=True).strip()
        os.environ["RECTORATE_TEST_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/rectorate_bench"
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS rectorate_bench")
            conn.execute("CREATE DATABASE rectorate_bench")
    import django
    from django.conf import settings

    # Follow-up work (index drain) is left to the worker, as in production: tasks are only enqueued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def bench_list(n_docs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from records.demo.seed import seed_demo
    from records.models import Document, OrgUnit, Version

    seed_demo(students=200, seed=1)
    user_model = get_user_model()
    registrar = user_model.objects.get(username="registrar")
    units = list(OrgUnit.objects.exclude(kind="university"))
    t0 = time.perf_counter()
    batch = []
    now = timezone.now()
    for i in range(n_docs):
        unit = units[i % len(units)]
        batch.append(
            Document(
                kind="internal_order",
                title=f"Приказ о проведении мероприятия №{i}",
                org_unit=unit,
                org_path=unit.path,
                created_by=registrar,
                state=["draft", "review", "approved", "registered"][i % 4],
                registry_series="ПР",
                registry_year=2026,
                registry_seq=i + 1,
                registry_number=f"ПР-2026-{i + 1:06d}",
                verification_code=f"B{i:011d}",
                created_at=now,
            )
        )
        if len(batch) == 5000:
            Document.objects.bulk_create(batch)
            batch = []
    if batch:
        Document.objects.bulk_create(batch)
    Version.objects.bulk_create(
        [
            Version(document_id=pk, number=1, data={}, author=registrar)
            for pk in Document.objects.values_list("pk", flat=True)
        ],
        batch_size=5000,
    )
    print(f"  created {n_docs} documents in {time.perf_counter() - t0:.1f} s")
    from django.contrib.auth.models import Permission

    registrar.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(registrar)
    urls = {
        "admin list": "/admin/registry/documents/",
        "admin list filtered": "/admin/registry/documents/?state=registered&year=2026",
        "admin list search": "/admin/registry/documents/?q=000123",
        "api list": "/api/v1/documents?limit=50",
    }
    for label, url in urls.items():
        status = client.get(url).status_code
        if status != 200:
            print(f"  {label}: HTTP {status} (view not available)")
            continue
        times = []
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        for _ in range(30):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"  {label}: median {statistics.median(times):.1f} ms, p95 {pct(times, 95):.1f} ms, "
            f"{len(queries)} queries"
        )


def bench_register(n: int, *, render: bool) -> None:
    from django.contrib.auth import get_user_model

    from records.kinds.base import DocumentKind, register_kind
    from records.kinds.internal_order import INTERNAL_ORDER
    from records.models import OrgUnit
    from records.services.document import document_create, document_transition

    # The same kind without a signing route, so registration needs no signature in this measurement.
    register_kind(
        DocumentKind(**{**INTERNAL_ORDER.__dict__, "code": "bench_order", "series": "Б", "signing_route": ()})
    )
    user_model = get_user_model()
    dean = user_model.objects.get(username="dean1")
    rector = user_model.objects.get(username="rector")
    registrar = user_model.objects.get(username="registrar")
    faculty = OrgUnit.objects.get(code="fac-it")
    data = {"subject": "Бенчмарк", "body": "Текст приказа"}
    if not render:
        # Registry overhead alone: numbering, versions, audit chain, outbox, state changes.
        # Registry overhead alone: numbering, versions, audit chain, outbox, state changes. The engine
        # renders at approval (records.services.document → rendering.document_render_pdf), which
        # calls the capability as records.services.rendering.render_document: that call (template
        # filling and LibreOffice) is replaced by a fixed result; the context, the blobs and the
        # short store transaction stay, and start_signing still finds a PDF.
        import records.services.rendering as rendering
        from doctemplates.pipeline import RenderResult

        assert hasattr(rendering, "render_document"), "the engine no longer renders through that name"
        pdf = b"%PDF-1.7\n% bench placeholder\n%%EOF\n"
        rendering.render_document = lambda *args, **kwargs: RenderResult(docx=b"PK bench", pdf=pdf)  # type: ignore[assignment]
    t0 = time.perf_counter()
    for i in range(n):
        doc = document_create(by=dean, kind="bench_order", org_unit=faculty, title=f"Б {i}", data=data)
        for name, who in (
            ("submit", dean),
            ("approve", rector),
            ("start_signing", registrar),
            ("register", registrar),
        ):
            doc = document_transition(document=doc, by=who, name=name)
    elapsed = time.perf_counter() - t0
    print(
        f"  registered {n} documents one after another ({'with' if render else 'without'} LibreOffice rendering"
        f" at approval): {elapsed:.1f} s, {n / elapsed:.1f} docs/s"
    )


def bench_register_bulk(n: int, batch: int) -> None:
    """The bulk path (records.services.document.documents_create_registered): one transaction per batch."""
    from django.contrib.auth import get_user_model

    from records.models import AuditEvent, Document, OrgUnit
    from records.services.audit import chain_verify
    from records.services.document import RegisteredItem, documents_create_registered
    from search.models import OutboxEntry

    registrar = get_user_model().objects.get(username="registrar")
    faculty = OrgUnit.objects.get(code="fac-it")
    data = {"subject": "Бенчмарк", "body": "Текст приказа"}
    before = Document.objects.filter(kind="bench_order").count()
    events_before, outbox_before = AuditEvent.objects.count(), OutboxEntry.objects.count()
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        items = [
            RegisteredItem(kind="bench_order", org_unit=faculty, title=f"Пакет {i}", data=data)
            for i in range(start, min(n, start + batch))
        ]
        documents_create_registered(by=registrar, items=items)
    elapsed = time.perf_counter() - t0
    made = Document.objects.filter(kind="bench_order").count() - before
    print(
        f"  registered {made} documents in bulk, batches of {batch} (one transaction each, no rendering):"
        f" {elapsed:.1f} s, {made / elapsed:.1f} docs/s;"
        f" {AuditEvent.objects.count() - events_before} audit events,"
        f" {OutboxEntry.objects.count() - outbox_before} outbox rows"
    )
    t0 = time.perf_counter()
    report = chain_verify()
    print(
        f"  chain after the bulk: ok={report.ok} ({report.checked} events, {time.perf_counter() - t0:.1f} s)"
    )


def bench_audit(n: int) -> None:
    from django.utils import timezone

    from records.models.audit import AuditEvent, AuditHead
    from records.services.checkpoints import audit_verify

    head = AuditHead.objects.get_or_create(pk=1)[0]
    prev, last_id = head.last_hash, head.last_id
    now = timezone.now()
    t0 = time.perf_counter()
    batch = []
    for i in range(n):
        event = AuditEvent(
            id=last_id + 1,
            created_at=now,
            actor=None,
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
    print(f"  wrote {n} chained events in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    report = audit_verify()
    print(f"  audit verify: {report.checked} events in {time.perf_counter() - t0:.1f} s (ok={report.ok})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--register", type=int, default=10_000)
    parser.add_argument("--register-rendered", type=int, default=100)
    parser.add_argument("--register-bulk", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("RECTORATE_DATA_DIR", tempfile.mkdtemp(prefix="rectorate-bench-"))
    setup(args.db)
    print(f"== registry bench on {args.db}")
    bench_list(args.docs)
    if args.register_rendered:
        bench_register(args.register_rendered, render=True)
    if args.register:
        bench_register(args.register, render=False)
    if args.register_bulk:
        if not args.register:
            bench_register(0, render=False)  # registers the bench kind
        bench_register_bulk(args.register_bulk, args.batch)
    if args.events:
        bench_audit(args.events)


if __name__ == "__main__":
    main()
