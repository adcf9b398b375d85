"""The load calculation of the whole demo university, every department (issue 16: < 10 s).

Seeds (or reuses) a demo university in a SQLite file — the org, programmes, groups and students of
`seed_demo`, then the academic history in bulk (orders, curricula, unsigned statements) — and
measures, over --repeat runs:
- computing every department's load for the current academic year from the registered curricula
  and the contingent (what a calculation draft computes), one department after another, and
- the same through the engine: each department's calculation drafted and validated with
  ``document_create`` (rolled back),
then the demo's teaching load seeded once (norms, calculations, positions, distributions, plans).
Prints departments, lines, hours, the median and worst seconds and the query counts. Asserts nothing.

Usage:
    .venv/bin/python bench/bench_load_calc.py [--students 2000] [--db PATH] [--reuse] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_replay_synthetic import _setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default in /tmp)")
    parser.add_argument("--reuse", action="store_true", help="measure an already seeded database")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"rectorate-bench-loadcalc-{args.students}.sqlite3"
    _setup(db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from records.demo.academic import seed_academic
    from records.demo.seed import seed_demo
    from records.demo.teaching import seed_teaching
    from records.models import Document, OrgUnit
    from records.projections.teaching import compute_lines, department_cohorts, norms_in_force, year_start
    from records.selectors.statements import current_term
    from records.services.teaching import load_document_create

    if not args.reuse or not db.exists() or db.stat().st_size == 0:
        call_command("migrate", verbosity=0)
        if not OrgUnit.objects.exists():
            start = time.perf_counter()
            seed_demo(students=args.students)
            seed_academic(signed=False)
            print(f"seeded the demo university and its history in {time.perf_counter() - start:.1f} s")
    year = current_term(timezone.localdate()).year
    departments = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("code"))

    def compute_all() -> tuple[int, int, float]:
        norms, _version = norms_in_force(year_start(year))
        lines = hours = 0.0
        for department in departments:
            cohorts = department_cohorts(year).get(department.code, [])  # as each draft does: afresh
            found = compute_lines(cohorts, norms)
            lines += len(found)
            hours += float(sum(line.hours for line in found))
        return int(lines), len(departments), hours

    times = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            lines, count, hours = compute_all()
            times.append(time.perf_counter() - start)
    print(
        f"computed: {count} departments, {lines} lines, {hours:,.2f} h for {year}/{year + 1}; "
        f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s, {len(queries)} queries"
    )

    from django.contrib.auth import get_user_model

    vice_rector = get_user_model().objects.get(username="vicerector")
    times = []
    for _ in range(args.repeat):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                drafted = 0
                for department in departments:
                    try:
                        load_document_create(
                            by=vice_rector, kind="load_calculation", department=department, academic_year=year
                        )
                        drafted += 1
                    except Exception as exc:
                        print(f"  {department.code}: {exc}")
                times.append(time.perf_counter() - start)
            transaction.set_rollback(True)
    print(
        f"drafted through the engine: {drafted} calculations; median {statistics.median(times):.2f} s, "
        f"worst {max(times):.2f} s, {len(queries)} queries"
    )
    if not Document.objects.filter(kind="load_calculation").exists():
        start = time.perf_counter()
        counts = seed_teaching()
        print(f"seeded the demo teaching load {counts} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
