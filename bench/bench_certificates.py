"""Certificate-request latency: from the student's POST in the portal to the sealed PDF downloaded.

Usage:
    .venv/bin/python bench/bench_certificates.py [--requests 30]

Seeds a small registry in a fresh database (an org, a registrar, the local PKI with the organisation
seal, one student enrolled by a registered order, with a portal login), then, logged in as that
student with Django's test Client, times N requests: POST /portal/certificates/ (the certificate is
created, rendered by LibreOffice, sealed with pyHanko and registered in that request) followed by
GET of its download URL (the PDF bytes). A first, untimed request starts the converter pool.
Prints median, p95 and max; the target is < 3 s. Follow-up tasks (search indexing) are left to the
worker, as in production.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 3.0
LANGUAGES = ("kk", "ru", "en")
PURPOSES = ("military", "employer", "social")


def setup() -> None:
    """A fresh SQLite database and data directory under the test settings, tasks left to a worker."""
    os.environ.setdefault("RECTORATE_DATA_DIR", tempfile.mkdtemp(prefix="rectorate-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.test"
    import django
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_student() -> object:
    """The org, the seal, a registrar and one enrolled student with a login; returns the student's user."""
    from records.demo.pki import bootstrap_pki
    from records.kinds.student_order import kind_code
    from records.models import Person, Role, RoleAssignment
    from records.projections.bulk import document_register_directly
    from tests.factories import make_org, make_person, make_staff

    org = make_org()
    registrar = make_staff("registrar", Role.REGISTRAR, org.university)
    bootstrap_pki(usernames=set())  # the organisation seal comes with the PKI
    student = make_person(kind=Person.Kind.STUDENT, username="student")
    student.group = org.group
    student.save()
    RoleAssignment.objects.create(person=student, role=Role.STUDENT, org_unit=org.faculty)
    document_register_directly(
        by=registrar,
        kind=kind_code("enrollment"),
        org_unit=org.faculty,
        title="Зачисление",
        data={
            "student_iin": student.iin,
            "effective_date": "2024-09-01",
            "grounds": "Приказ о зачислении",
            "programme_code": org.programme.code,
            "group_code": org.group.code,
            "year_of_study": 1,
            "funding": "state_grant",
        },
    )
    return student.user


def request_and_download(client: object, index: int) -> float:
    """One certificate: POST the request, GET the PDF; returns the seconds it took."""
    from records.models import Document

    started = time.perf_counter()
    response = client.post(  # type: ignore[attr-defined]
        "/portal/certificates/",
        {"purpose": PURPOSES[index % len(PURPOSES)], "language": LANGUAGES[index % len(LANGUAGES)]},
    )
    assert response.status_code == 302, response.status_code
    document = Document.objects.filter(kind="student_certificate").order_by("-id").first()
    assert document is not None and document.state == "registered"
    download = client.get(f"/portal/documents/{document.pk}/pdf/")  # type: ignore[attr-defined]
    assert download.status_code == 200 and download.content.startswith(b"%PDF"), download.status_code
    return time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `values`."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    setup()
    from django.test import Client

    user = seed_student()
    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    request_and_download(client, 0)
    print(f"warm-up (starts the converter pool): {time.perf_counter() - started:.2f} s")
    times = [request_and_download(client, index) for index in range(1, args.requests + 1)]
    median, p95, worst = statistics.median(times), percentile(times, 0.95), max(times)
    print(f"{args.requests} certificate requests, POST to downloaded sealed PDF, {os.cpu_count()} cores")
    print(f"median {median:.2f} s   p95 {p95:.2f} s   max {worst:.2f} s   (target < {TARGET_SECONDS:.0f} s)")
    print("within target" if p95 < TARGET_SECONDS else "OVER TARGET at p95")


if __name__ == "__main__":
    main()
