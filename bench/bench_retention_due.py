"""The due list over a synthetic registry of 1,000,000 filed documents (issue 18: under 5 s).

The generator builds, on an empty SQLite database, the demo org (no students), registers a file plan
(five series: 1, 5, 10 and 75 years and permanent) through the engine, then writes ``--documents``
registered documents and their filings in bulk (Document and Filing rows; registration dates spread
over 2000–2026, a few disposed), and places two holds (a series and a saved search). The rows are a
fixture, not what is measured. Measured, each as the archive page, the daily task and the operator's
command ask it:

- the summary (due records by series and action: the archive page's header and the task's count);
- the first page of the due list with its documents and holds (the archive page, 50 rows);
- every due record with its holds (what ``retention due`` writes), streamed from the filings alone;
- ``manage.py retention due --json`` in full, to /dev/null, in its own process.

Usage:
    .venv/bin/python bench/bench_retention_due.py [--documents 1000000] [--db PATH] [--reuse]
SQLite by default (a file, default /tmp/rectorate-bench-due-<documents>.sqlite3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 20_000
YEARS = {"01-01": 1, "01-05": 5, "01-10": 10, "01-75": 75, "01-99": None}
ACTIONS = {"01-01": "destroy", "01-05": "destroy", "01-10": "review", "01-75": "review", "01-99": "transfer"}


def _setup(db: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "RECTORATE_BENCH_DB": str(db),
        "RECTORATE_DATA_DIR": os.environ.get(
            "RECTORATE_DATA_DIR", tempfile.mkdtemp(prefix="rectorate-bench-")
        ),
    }
    os.environ.update(env)
    return env


def generate(documents: int, seed: int) -> float:
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max

    from records.demo.seed import seed_demo
    from records.models import Document, Filing, OrgUnit, Role, RoleAssignment
    from records.services.document import document_create_registered
    from records.services.fileplan import due_date
    from records.services.holds import hold_place

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    rng = random.Random(seed)
    seed_demo(students=0, seed=seed)
    archivist = RoleAssignment.objects.get(role=Role.ARCHIVIST).person.user
    university = OrgUnit.objects.get(parent__isnull=True)
    units = list(OrgUnit.objects.exclude(pk=university.pk))
    series = [
        {
            "index": index,
            "unit": "",
            "title_kk": f"Іс {index}",
            "title_ru": f"Дело {index}",
            "title_en": f"File {index}",
            "retention_years": years,
            "basis": "ст. 1",
            "final_action": ACTIONS[index],
            "kinds": ["internal_order"] if index == "01-05" else [],
        }
        for index, years in YEARS.items()
    ]
    plan = document_create_registered(
        by=archivist,
        kind="file_plan",
        org_unit=university,
        title="",
        data={"effective_date": "2000-01-01", "series": series},
        registered_at=dt.datetime(2000, 1, 1, 9, tzinfo=dt.UTC),
    )
    first = (Document.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    now = dt.datetime.now(dt.UTC)
    indexes = list(YEARS)
    with transaction.atomic():
        for offset in range(0, documents, BATCH):
            docs, filings = [], []
            for n in range(offset, min(documents, offset + BATCH)):
                pk = first + n
                unit = units[n % len(units)]
                registered = dt.datetime(2000, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
                    seconds=rng.randrange(0, 26 * 365 * 86400)
                )
                index = indexes[n % len(indexes)]
                docs.append(
                    Document(
                        id=pk,
                        kind="internal_order",
                        title=f"Приказ {n}",
                        org_unit=unit,
                        org_path=unit.path,
                        created_by=archivist,
                        state="disposed" if n % 97 == 0 else "registered",
                        registered_at=registered,
                        registry_series="ПР",
                        registry_year=registered.year,
                        registry_seq=n + 1,
                        registry_number=f"ПР-{registered.year}-{n + 1:07d}",
                        verification_code=f"B{n:011d}",
                        retention_class="permanent",
                        created_at=now,
                    )
                )
                filings.append(
                    Filing(
                        document_id=pk,
                        plan=plan,
                        series_index=index,
                        retention_years=YEARS[index],
                        final_action=ACTIONS[index],
                        due_on=due_date(registered.date(), YEARS[index]),
                        filed_at=registered,
                        disposed=docs[-1].state == "disposed",
                        registry_number=docs[-1].registry_number,
                        kind=docs[-1].kind,
                        title=docs[-1].title,
                        year=docs[-1].registry_year,
                        org_path=docs[-1].org_path,
                        subject_id=None,
                    )
                )
            Document.objects.bulk_create(docs, batch_size=2000)
            Filing.objects.bulk_create(filings, batch_size=2000)
            print(f"  {offset + len(docs)} documents", end="\r", flush=True)
    rector = RoleAssignment.objects.get(role=Role.RECTOR).person.user
    hold_place(by=rector, kind="legal", reason="bench", series_index="01-01")
    hold_place(by=rector, kind="legal", reason="bench", query="q=Приказ 12&kind=internal_order")
    return time.perf_counter() - start


def _load() -> str:
    """The machine's load average (other processes share its cores; figures are read against it)."""
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min) {five:.2f} (5 min) on {os.cpu_count()} cores"


def timed(label: str, call: object, repeat: int = 3) -> object:
    """Best wall time of `repeat` runs, with its CPU time (the machine may be shared)."""
    best, cpu, result = float("inf"), 0.0, None
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = call()  # type: ignore[operator]
        if time.perf_counter() - start < best:
            best, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"{label}: {best:.2f} s wall, {cpu:.2f} s CPU (best of {repeat}); {_load()}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"rectorate-bench-due-{args.documents}.sqlite3"
    env = _setup(db)
    import django

    django.setup()
    if not args.reuse:
        if db.exists():
            db.unlink()
        print(f"generation: {args.documents} documents in {generate(args.documents, args.seed):.1f} s")
    else:  # a database generated by an older checkout: bring its schema up to this one
        from django.core.management import call_command

        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"reused {db}, migrated in {time.perf_counter() - start:.1f} s")
    from records.models import Document
    from records.selectors.disposition import due_filings, due_records, due_rows, due_summary

    print(f"documents: {Document.objects.count()}")
    summary = timed("summary (by series and action)", lambda: due_summary())
    print(f"  due: {summary.total}; " + ", ".join(f"{s} {a}: {n}" for s, a, n in summary.by_series))  # type: ignore[attr-defined]
    page = timed(
        "first page of the due list with documents and holds (50)", lambda: due_records(due_filings()[:50])
    )
    print(f"  held on the first page: {sum(1 for r in page if r.holds)}")  # type: ignore[attr-defined]
    ids = timed(
        "every due record with its holds, streamed (what the command writes)",
        lambda: sum(1 for _ in due_rows()),
    )
    print(f"  streamed: {ids}")
    start, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    with Path(os.devnull).open("w") as devnull:
        code = subprocess.call(
            [sys.executable, str(ROOT / "manage.py"), "retention", "due", "--json"],
            env=env,
            stdout=devnull,
            cwd=ROOT,
        )
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    print(
        f"manage.py retention due --json (every due record, with holds, its own process): {wall:.2f} s wall,"
        f" {cpu:.2f} s CPU, exit {code}; {_load()}"
    )


if __name__ == "__main__":
    main()
