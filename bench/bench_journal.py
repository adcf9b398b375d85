"""The journal page of 30 students × 45 classes (issue 16: < 300 ms), and saving one cell.

Builds a fresh SQLite database (migrations), an org, a teacher and a journal of 30 students with 45
classes over the autumn term, every cell filled (85–95 % present, some excused, marks at practicals
and the two midterm controls), then requests the page as the teacher through Django's test client
and prints the median and worst wall time and the query count; then the same for a one-cell JSON
save (what the page's script posts when a cell is left). Nothing is asserted about time.

Usage:
    .venv/bin/python bench/bench_journal.py [--students 30] [--classes 45] [--repeat 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
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
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--classes", type=int, default=45)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="rectorate-bench-journal-")) / "journal.sqlite3"
    _setup(db)
    import django

    django.setup()
    from django.contrib.auth.models import Permission
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from records.models import Person, Role, RoleAssignment
    from records.services.journal import journal_add_class, journal_open, journal_save_cells
    from tests.factories import make_org, make_person, make_staff

    call_command("migrate", verbosity=0)
    org = make_org()
    teacher = make_staff("bench_teacher", Role.TEACHER, org.department)
    teacher.user_permissions.add(Permission.objects.get(codename="access_admin"))
    students = []
    for _ in range(args.students):
        person = make_person(kind=Person.Kind.STUDENT)
        person.group = org.group
        person.save()
        students.append(person)
    assert RoleAssignment.objects.filter(person__user=teacher).exists()
    journal = journal_open(
        by=teacher,
        department=org.department,
        group=org.group,
        discipline_code="ICT1",
        discipline_name="Информатика",
        academic_year=2024,
        period=1,
    )
    rng = random.Random(2026)
    start = dt.date(2024, 9, 2)
    kinds = ["lecture", "practical", "laboratory"]
    classes = []
    for n in range(args.classes):
        date = start + dt.timedelta(days=(n * 104) // args.classes)
        midterm = n in (args.classes * 7 // 15, args.classes - 1)
        classes.append(
            journal_add_class(journal=journal, by=teacher, date=date, kind=kinds[n % 3], midterm=midterm)
        )
    cells = {}
    for lesson in classes:
        for person in students:
            roll = rng.random()
            if roll < 0.90:
                cells[(lesson.pk, person.pk)] = (
                    str(rng.randint(55, 100)) if lesson.kind != "lecture" or lesson.midterm else "+"
                )
            else:
                cells[(lesson.pk, person.pk)] = "у" if roll < 0.94 else "н"
    journal_save_cells(journal=journal, by=teacher, lock_version=None, cells=cells)

    client = Client()
    client.force_login(teacher)
    url = f"/admin/journals/{journal.pk}/"
    client.get(url)  # warm up templates and caches

    def measure(label: str, request: object) -> None:
        times = []
        queries = 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = request()  # type: ignore[operator]
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(captured)
        print(
            f"{label:<44} median {statistics.median(times):7.1f} ms   worst {max(times):7.1f} ms   {queries} queries"
        )

    print(f"journal: {args.students} students × {args.classes} classes = {len(cells)} cells (sqlite)")
    measure("journal page (GET)", lambda: client.get(url))
    cell = f"c-{classes[3].pk}-{students[0].pk}"
    values = iter(str(50 + n % 50) for n in range(10_000))
    measure(
        "save one cell (POST, JSON answer)",
        lambda: client.post(url, {cell: next(values)}, HTTP_ACCEPT="application/json"),
    )


if __name__ == "__main__":
    main()
