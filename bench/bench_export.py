"""Transfer to the archive: export N registered documents as one BagIt bag (issue 18: ≥ 200 documents/s).

Usage:
    .venv/bin/python bench/bench_export.py [--documents 10000] [--db sqlite|postgres] [--validate]

A fresh database (SQLite in a temp directory, or a PostgreSQL database next to the one of
scripts/postgres.sh) gets N synthetic registered internal orders inserted in bulk, each with its
version data, a small unique PDF in the blob store and two audit events chained like the real ones.
Then ``transfer_export`` (what ``manage.py archive export`` runs) writes the bag: per record the
version JSON, the PDF streamed from the store and checked, the events with their hashes, the
verifier's report of the PDF; then the bagit library hashes the payload. Prints the time of each
part, documents per second and the peak memory; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import resource
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
        os.environ["RECTORATE_TEST_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/rectorate_bench_export"
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS rectorate_bench_export")
            conn.execute("CREATE DATABASE rectorate_bench_export")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def small_pdf(text: str) -> bytes:
    """A valid one-page PDF carrying `text` (built by hand: offsets computed, no library)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def populate(n: int) -> None:
    """N registered internal orders with a version, a PDF blob and two chained audit events, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from records.demo.pki import bootstrap_pki
    from records.models import AuditEvent, AuditHead, Blob, Document, Role, Version
    from records.models.audit import canonical_json
    from records.models.blob import blob_path, blob_storage
    from tests.factories import make_org, make_staff

    org = make_org()
    registrar = make_staff("registrar", Role.REGISTRAR, org.university)
    bootstrap_pki(usernames=set())  # the trust store the verifier and the bag's trust/ folder need
    storage = blob_storage()
    now = timezone.now()
    AuditHead.objects.bulk_create([AuditHead(pk=1)], ignore_conflicts=True)
    head = AuditHead.objects.get(pk=1)
    prev, first_event = head.last_hash, head.last_id + 1  # the events continue the real chain
    with transaction.atomic():
        for start in range(0, n, 1000):
            batch = range(start + 1, min(n, start + 1000) + 1)
            blobs, documents, versions, events = [], [], [], []
            for i in batch:
                pdf = small_pdf(f"Internal order {i}")
                sha = hashlib.sha256(pdf).hexdigest()
                path = Path(storage.path(blob_path(sha)))
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(pdf)
                blobs.append(Blob(sha256=sha, size=len(pdf), media_type="application/pdf"))
                data = {"subject": f"Приказ {i}", "body": "Текст приказа. " * 20, "executor": "Регистратор"}
                registered = now - dt.timedelta(minutes=n - i)
                documents.append(
                    Document(
                        id=i,
                        kind="internal_order",
                        title=f"Приказ {i}",
                        org_unit=org.faculty,
                        org_path=org.faculty.path,
                        created_by=registrar,
                        state="registered",
                        registry_series="ПР",
                        registry_year=registered.year,
                        registry_seq=i,
                        registry_number=f"ПР-{registered.year}-{i:05d}",
                        registered_at=registered,
                        retention_class="permanent",
                        current_version_id=i,
                    )
                )
                versions.append(
                    Version(
                        id=i,
                        document_id=i,
                        number=1,
                        data=data,
                        data_sha256=hashlib.sha256(canonical_json(data).encode()).hexdigest(),
                        frozen=True,
                        frozen_at=registered,
                        pdf_blob_id=sha,
                        author=registrar,
                    )
                )
                for k, action in enumerate(("document.create", "document.register")):
                    event = AuditEvent(
                        id=first_event + 2 * (i - 1) + k,
                        created_at=registered,
                        actor=registrar,
                        actor_repr="registrar",
                        action=action,
                        document_id=i,
                        changes={"bulk": True},
                        prev_hash=prev,
                    )
                    event.hash = prev = event.compute_hash()
                    events.append(event)
            Blob.objects.bulk_create(blobs, ignore_conflicts=True)
            Document.objects.bulk_create(documents)
            Version.objects.bulk_create(versions)
            AuditEvent.objects.bulk_create(events)
            AuditHead.objects.filter(pk=1).update(last_id=events[-1].id, last_hash=prev)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--validate", action="store_true", help="also time bagit's full validation")
    args = parser.parse_args()
    setup(args.db)

    import bagit

    from records.selectors.transfer import Selection
    from records.services.transfer import transfer_export

    t0 = time.perf_counter()
    populate(args.documents)
    print(
        f"== {args.documents} registered documents inserted in bulk in {time.perf_counter() - t0:.1f} s ({args.db})"
    )

    out = Path(tempfile.mkdtemp(prefix="bench-export-"))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    transfer = transfer_export(by=None, selection=Selection(kind="internal_order"), out_dir=out)
    elapsed = time.perf_counter() - t0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    payload_bytes, files = (int(x) for x in transfer.payload_oxum.split("."))
    print(
        f"  export: {transfer.record_count} documents in {elapsed:.1f} s = "
        f"{transfer.record_count / elapsed:,.0f} documents/s (target ≥ 200/s)"
    )
    print(f"  bag: {files} payload files, {payload_bytes / 1e6:.1f} MB, Payload-Oxum {transfer.payload_oxum}")
    print(f"  peak memory: {rss_before / 1024:.0f} MB before the export, {rss_after / 1024:.0f} MB after")
    if args.validate:
        t0 = time.perf_counter()
        bagit.Bag(transfer.bag_path).validate()
        print(f"  bagit validate (every checksum): {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
