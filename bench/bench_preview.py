"""The diploma cohort preview: one cohort of N graduates (the issue's target: < 1 s for 200).

Usage:
    .venv/bin/python bench/bench_preview.py [--graduates 200] [--repeat 5]

Builds the synthetic graduating class of bench_diplomas (complete histories registered in bulk) as
ONE cohort in a fresh SQLite database, then times the preview selector and the back-office preview
page (GET, as the registrar, through Django's test client: view, template and audit record included).
Prints the median and the worst of the repeats and the queries of one page; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_diplomas  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--graduates", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_diplomas.setup()
    bench_diplomas.GROUP_SIZE = args.graduates
    started = time.perf_counter()
    users, groups = bench_diplomas.build_class(args.graduates)
    print(f"{args.graduates} graduates in one cohort; setup {time.perf_counter() - started:.1f} s")

    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from records.selectors.diplomas import cohort_preview

    registrar = users["registrar"]
    # The back office opens to members with Wagtail's access_admin (the demo gives it by group).
    registrar.user_permissions.add(Permission.objects.get(codename="access_admin"))
    group, date = groups[0], bench_diplomas.GRADUATION_DATE
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        preview = cohort_preview(user=registrar, group_code=group, date=date)
        timings.append(time.perf_counter() - start)
    assert len(preview.graduates) == args.graduates, len(preview.graduates)
    print(
        f"selector cohort_preview: median {statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms"
    )

    client = Client()
    client.force_login(registrar)
    url = reverse("records_diplomas:cohort") + f"?group={group}&date={date}"
    timings = []
    for index in range(args.repeat):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        if index == 0:
            print(f"page: {len(response.content) / 1024:.0f} KB, {len(queries)} queries")
    print(
        f"page GET {url}: median {statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
