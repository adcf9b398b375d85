"""Monitoring pages over a synthetic registry of 20,000 students (issue 17: a page within 500 ms).

Builds (or reuses) the synthetic registry of bench_replay_synthetic.py — 20,000 students in groups
of 25, intakes 2018–2021, their enrollment, next-year, leave, expulsion and graduation orders and
about a million grade lines — rebuilds the projections with the real `registry replay` (which
fills the monitoring spells and the per-term results), then requests every monitoring page as the rector (the whole
university) and as a dean (one faculty) through Django's test client — the whole GET: middleware,
selectors, template rendering — and prints the median and worst wall time of each page, the median
CPU time of this process for it (the machine is shared: wall time includes waiting for a core, CPU
time does not), its query count, and the load average before and after. Nothing is asserted about
time.

Usage:
    .venv/bin/python bench/bench_monitoring.py [--students 20000] [--db PATH] [--reuse] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_replay_synthetic import _setup, generate  # noqa: E402

PAGES = [
    ("student body by faculty", "/admin/monitoring/", {"on": "2021-10-01", "by": "faculty"}),
    ("student body by programme", "/admin/monitoring/", {"on": "2021-10-01", "by": "programme"}),
    ("student body by sex", "/admin/monitoring/", {"on": "2021-10-01", "by": "sex", "series_by": "funding"}),
    ("student body by group", "/admin/monitoring/", {"on": "2021-10-01", "by": "group"}),
    ("movement, a year", "/admin/monitoring/movement/", {"date_from": "2021-09-01", "date_to": "2022-08-31"}),
    ("session results by faculty", "/admin/monitoring/results/", {"term": "2021-1", "by": "faculty"}),
    ("session results by group", "/admin/monitoring/results/", {"term": "2021-1", "by": "group"}),
    ("session results by discipline", "/admin/monitoring/results/", {"term": "2021-1", "by": "discipline"}),
    ("session results by examiner", "/admin/monitoring/results/", {"term": "2021-1", "by": "examiner"}),
    ("scholarships", "/admin/monitoring/scholarships/", {}),
    ("teaching load, the year", "/admin/monitoring/load/", {}),
    ("rating controls by group", "/admin/monitoring/ratings/", {"by": "group"}),
    ("drill-down: students, page 1", "/admin/monitoring/students/list/", {"on": "2021-10-01"}),
    ("drill-down: debtors", "/admin/monitoring/results/list/",
     {"term": "2021-1", "by": "faculty", "key": "*", "measure": "debtors"}),
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default in /tmp)")
    parser.add_argument("--reuse", action="store_true", help="measure an already generated database")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"rectorate-bench-monitoring-{args.students}.sqlite3"
    _setup(db)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from records.models import GradeLine, RoleAssignment, StudentSpell, TermResultCell
    from records.projections.replay import replay
    from records.projections.term_results import rebuild_term_results

    settings.ALLOWED_HOSTS = ["*"]
    if not args.reuse:
        if db.exists():
            db.unlink()
        documents, lines, seconds = generate(args.students, args.seed)
        print(f"generation: {documents} documents, {lines} grade lines in {seconds:.1f} s")
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the indexes of a newer checkout
    if not StudentSpell.objects.exists():
        start = time.perf_counter()
        replay()
        print(f"replay (fills the spells): {time.perf_counter() - start:.1f} s")
    if not TermResultCell.objects.exists():  # a database made before the per-term results projection
        start = time.perf_counter()
        rebuild_term_results()
        print(f"per-term results rebuilt: {time.perf_counter() - start:.1f} s")
    print(
        f"spells {StudentSpell.objects.count()}, grade lines {GradeLine.objects.count()}, "
        f"term result cells {TermResultCell.objects.count()}"
    )
    access = Permission.objects.get(codename="access_admin")
    dean = RoleAssignment.objects.filter(role="dean").select_related("person__user").first()
    viewers = [("rector", get_user_model().objects.get(username="rector"))]
    if dean is not None and dean.person.user is not None:
        viewers.append((f"dean ({dean.org_unit.name_en})", dean.person.user))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    summary: list[tuple[str, str, float, float]] = []
    for label, user in viewers:
        user.user_permissions.add(access)
        client = Client()
        client.force_login(user)
        print(f"\n{label}")
        for name, url, query in PAGES:
            times, cpu = [], []
            queries = 0
            client.get(url, query)  # warm: the first request of a page compiles its templates
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as captured:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    response = client.get(url, query)
                    times.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
                queries = len(captured)
                assert response.status_code == 200, (name, response.status_code)
            median, median_cpu = statistics.median(times), statistics.median(cpu)
            summary.append((label, name, median, median_cpu))
            print(
                f"  {name:32s} median {median:6.0f} ms   worst {max(times):6.0f} ms   "
                f"cpu {median_cpu:6.0f} ms   {queries} queries   {len(response.content) // 1024} KiB"
            )
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    over = [(label, name, m, c) for label, name, m, c in summary if m >= 500]
    print(f"pages with a median of 500 ms or more: {len(over)} of {len(summary)}")
    for label, name, m, c in over:
        print(f"  {label}: {name} — {m:.0f} ms (cpu {c:.0f} ms)")


if __name__ == "__main__":
    main()
