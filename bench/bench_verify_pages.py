"""The verification report page and the LTV page of a 3-signature document (issue target: < 1 s).

Usage:
    .venv/bin/python bench/bench_verify_pages.py [--data ./data] [--repeat 5]

Copies the seeded demo data (as bench_load does; the source is never modified), sets up Django with
settings.run on the copy and signs in as the demo's auditor. For a registered document with three
signatures it times the back-office verification report page (GET: view, real pyHanko validation of
every signature, template and audit record) with the cache emptied before each request (cold: the
report is computed) and without (warm: the report cached by PDF hash), and the LTV status page.
Prints the median and the worst of the repeats and the load average; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_load import demo_in_process, loadavg  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    demo_in_process(args.data)
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db.models import Count, Q
    from django.test import Client

    from records.lifecycle import State
    from records.models import Document
    from records.selectors.document import document_current_pdf
    from signing import api as signing_api

    document = (
        Document.objects.filter(state=State.REGISTERED)
        .annotate(signed=Count("signatures", filter=Q(signatures__void=False)))
        .filter(signed__gte=3)
        .order_by("-signed", "id")
        .first()
    )
    assert document is not None, "the data directory holds no document with three signatures"
    client = Client()
    client.force_login(get_user_model().objects.get(username="auditor"))
    report_url = f"/admin/signing/documents/{document.pk}/verification/"
    pdf = document_current_pdf(document)
    assert pdf is not None

    def first_ever() -> None:
        cache.clear()

    def first_of_the_day() -> None:
        from django.conf import settings
        from django.utils import translation

        for language, _name in settings.LANGUAGES:  # today's report in every language, nothing else
            with translation.override(language):
                cache.delete(signing_api.report_cache_key(pdf))

    pages = {
        "verification report, cold (first ever)": (report_url, first_ever),
        "verification report, first view of the day": (report_url, first_of_the_day),
        "verification report, warm": (report_url, None),
        "LTV page, cold (first ever)": ("/admin/signing/ltv/", first_ever),
        "LTV page": ("/admin/signing/ltv/", None),
    }
    print(
        f"== {document.registry_number} ({document.kind}, {document.signed} signatures), "  # type: ignore[attr-defined]
        f"{args.repeat} requests each, load average {loadavg()}"
    )
    for name, (url, prepare) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        walls, cpus = [], []
        for _ in range(args.repeat):
            if prepare is not None:
                prepare()
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"  {name} {url}: median {statistics.median(walls) * 1000:.0f} ms "
            f"(worst {max(walls) * 1000:.0f} ms), CPU median {statistics.median(cpus) * 1000:.0f} ms"
        )
    from records.services.verification import verification_reports_prepare

    cpus = []
    for _ in range(args.repeat):  # what the worker spends when the document's signing completes
        cache.clear()
        cpu = time.process_time()
        assert verification_reports_prepare(document_ids=[document.pk]) == 1
        cpus.append(time.process_time() - cpu)
    print(f"  worker: reports prepared in every language, CPU median {statistics.median(cpus) * 1000:.0f} ms")
    print(f"  load average after: {loadavg()}")


if __name__ == "__main__":
    main()
