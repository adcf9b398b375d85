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
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_replay_synthetic import _setup, generate  # noqa: E402

LOAD_YEAR = 2021  # the academic year every synthetic intake (2018–2021) studies in: 20,000 students
DISCIPLINES = 6
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
    ("teaching load, the year", "/admin/monitoring/load/", {"year": LOAD_YEAR}),
    ("teaching load, autumn", "/admin/monitoring/load/", {"year": LOAD_YEAR, "term": 1}),
    ("rating controls by faculty", "/admin/monitoring/ratings/", {"term": f"{LOAD_YEAR}-1", "by": "faculty"}),
    ("rating controls by group", "/admin/monitoring/ratings/", {"term": f"{LOAD_YEAR}-1", "by": "group"}),
    ("rating controls by discipline", "/admin/monitoring/ratings/",
     {"term": f"{LOAD_YEAR}-1", "by": "discipline"}),
    ("drill-down: students, page 1", "/admin/monitoring/students/list/", {"on": "2021-10-01"}),
    ("drill-down: debtors", "/admin/monitoring/results/list/",
     {"term": "2021-1", "by": "faculty", "key": "*", "measure": "debtors"}),
    ("drill-down: load assignments", "/admin/monitoring/load/list/", {"year": LOAD_YEAR, "term": 1}),
    ("drill-down: rating statements", "/admin/monitoring/ratings/list/",
     {"term": f"{LOAD_YEAR}-1", "by": "faculty", "key": "*"}),
]  # fmt: skip


def _curricula(intakes: list[tuple[Any, int]]) -> int:
    """A working curriculum per programme and intake, naming the disciplines the synthetic statements
    name (``{programme[-3:]}{semester}{index}``), registered by the real bulk path (kind validation,
    projection)."""
    from django.contrib.auth import get_user_model

    from records.projections.bulk import document_register_directly

    registrar = get_user_model().objects.get(username="registrar")
    for programme, intake in intakes:
        semesters = [
            {"number": number, "disciplines": [
                {"code": f"{programme.code[-3:]}{number}{index}",
                 "name": f"{programme.name_ru}: модуль {number}.{index + 1}", "credits": 5,
                 "cycle": ("general", "basic", "major")[index % 3],
                 "component": ("compulsory", "university", "elective")[index % 3],
                 "control_form": "final_attestation" if (number, index) == (8, DISCIPLINES - 1) else "exam",
                 "hours": {"lecture": 30, "practical": 15, "self": 105}}
                for index in range(DISCIPLINES)]}
            for number in range(1, 9)
        ]  # fmt: skip
        document_register_directly(
            by=registrar, kind="working_curriculum", org_unit=programme.department,
            title=f"РУП {programme.code} {intake}",
            data={"programme_code": programme.code, "intake_year": intake, "semesters": semesters},
        )  # fmt: skip
    return len(intakes)


def _journals(year: int) -> int:
    """The autumn journals of every classroom assignment (one per group of its stream), with about
    90 % of the planned hours held in two-hour classes, in bulk (a working table, not a projection)."""
    from records.academics.teaching_load import CLASSROOM_KINDS
    from records.models import Journal, JournalClass, OrgUnit, StudyGroup, TeachingAssignment

    groups = {g.code: g for g in StudyGroup.objects.all()}
    departments = {d.code: d for d in OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT)}
    journals: dict[tuple[int, int, str], Journal] = {}
    held: list[tuple[tuple[int, int, str], str, int]] = []
    assignments = TeachingAssignment.objects.filter(academic_year=year, term=1, kind__in=CLASSROOM_KINDS)
    for a in assignments.order_by("id"):
        department = departments[a.department_code]
        for code in (c.strip() for c in a.group_codes.split(",") if c.strip()):
            group = groups[code]
            key = (a.teacher_id, group.pk, a.discipline_code)
            if key not in journals:
                journals[key] = Journal(
                    department=department, org_path=department.path, teacher_id=a.teacher_id, group=group,
                    discipline_code=a.discipline_code, discipline_name=a.discipline_code, academic_year=year,
                    period=1,
                )  # fmt: skip
            held.append((key, a.kind, int(a.hours * 9 / 10) // 2))
    Journal.objects.bulk_create(list(journals.values()), batch_size=1000)
    ids = {
        (j.teacher_id, j.group_id, j.discipline_code): j.pk
        for j in Journal.objects.filter(academic_year=year, period=1)
    }
    start = dt.date(year, 9, 6)
    classes = [
        JournalClass(journal_id=ids[key], date=start + dt.timedelta(days=7 * (n % 15) + n // 15), kind=kind, hours=2)
        for key, kind, count in held
        for n in range(count)
    ]  # fmt: skip
    JournalClass.objects.bulk_create(classes, batch_size=2000)
    return len(classes)


def _ratings(year: int) -> int:
    """РК1 and РК2 statements of every group and discipline of the autumn, their ratings computed by
    the policy as the kind computes them, written in bulk like the synthetic registry's statements."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    from bench.bench_replay_synthetic import Writer, _score
    from records.academics.rounding import round_half_up
    from records.kinds.base import get_kind
    from records.models import Document, Person, StudentSpell, StudyGroup, Version
    from records.projections.policy import policy_book

    kind = get_kind("rating_statement")
    policy, version = policy_book().at(dt.date(year, 10, 20))
    rules, places = policy.journal, policy.rating.percent_places
    rng = random.Random(year)
    on = dt.date(year, 10, 1)
    studying = StudentSpell.objects.filter(valid_from__lte=on, status="enrolled").exclude(valid_to__lte=on)
    members: dict[int, list[int]] = {}
    for person, group in studying.values_list("person_id", "group_id"):
        members.setdefault(group, []).append(person)
    people = {p.pk: p for p in Person.objects.filter(pk__in=[x for m in members.values() for x in m])}
    writer = Writer(
        by=get_user_model().objects.get(username="registrar"),
        next_doc=(Document.objects.aggregate(m=Max("id"))["m"] or 0) + 1,
        next_version=(Version.objects.aggregate(m=Max("id"))["m"] or 0) + 1,
    )
    at = dt.datetime.now(dt.UTC)
    count = 0
    for group in StudyGroup.objects.filter(pk__in=list(members)).select_related("programme__department"):
        semester = (year - group.intake_year) * 2 + 1
        for index in range(DISCIPLINES):
            for control in (1, 2):
                lines = []
                for pk in members[group.pk]:
                    current, midterm = _score(rng, 70, 15), _score(rng, 68, 18)
                    rating = round_half_up(
                        rules.current_weight * current + rules.midterm_weight * midterm, places
                    )
                    lines.append({"student_iin": people[pk].iin, "student_name": people[pk].full_name("ru"),
                                  "current": str(current), "midterm": str(midterm), "rating": str(rating),
                                  "present": 14, "absent": 1, "excused": 0})  # fmt: skip
                data = {
                    "discipline_code": f"{group.programme.code[-3:]}{semester}{index}",
                    "discipline_name": f"{group.programme.name_ru}: модуль {semester}.{index + 1}", "credits": 5,
                    "group_code": group.code, "academic_year": year, "period": 1, "control": control,
                    "date": f"{year}-{10 if control == 1 else 12}-{20 if control == 1 else 15}",
                    "teacher": "Преподаватель", "lines": lines, "policy_version": version,
                }  # fmt: skip
                if count == 0:
                    kind.validate(dict(data))  # the first statement passes the kind's schema
                count += 1
                at += dt.timedelta(milliseconds=1)
                writer.add(kind=kind, unit=group.programme.department, title=f"РК{control} {group.code}",
                           data=data, registered_at=at)  # fmt: skip
    writer.finish()
    return count


def add_load_and_ratings(year: int = LOAD_YEAR) -> None:
    """The synthetic registry's teaching load and rating controls of `year` (once): curricula, the
    demo's load (records.demo.teaching: norms, each department's calculation, positions,
    distribution and plans — through the kinds' real validation and projections), the autumn
    journals, and РК1/РК2 statements. The load counts the students of each group at the time, not
    today (every synthetic intake has graduated by now): the calculation's contingent is read from
    the groups' members, a fixture of this bench."""
    from django.db import transaction

    from records.demo.teaching import seed_teaching
    from records.models import Document, Person, Programme, StudyGroup
    from records.projections import teaching as load_projection
    from records.projections import teaching_done

    if Document.objects.filter(kind="load_calculation").exists():
        return
    start = time.perf_counter()
    with transaction.atomic():
        intakes = sorted(set(StudyGroup.objects.values_list("programme_id", "intake_year")))
        programmes = {p.pk: p for p in Programme.objects.select_related("department")}
        curricula = _curricula([(programmes[p], intake) for p, intake in intakes])

        def members(groups: list[StudyGroup], **_when: Any) -> dict[int, int]:
            ids = [g.pk for g in groups]
            counts: dict[int, int] = {}
            for group in Person.objects.filter(group_id__in=ids).values_list("group_id", flat=True):
                counts[group] = counts.get(group, 0) + 1
            return counts

        real = load_projection.contingent
        load_projection.contingent = members  # type: ignore[assignment]
        try:
            load = seed_teaching(year=year)
        finally:
            load_projection.contingent = real  # type: ignore[assignment]
        classes = _journals(year)
        ratings = _ratings(year)
        teaching_done.rebuild()  # the journal was written in bulk, around the journal service
    print(
        f"load and ratings of {year}/{year + 1} added in {time.perf_counter() - start:.1f} s: {curricula} curricula, "
        f"{load}, {classes} classes held, {ratings} rating statements"
    )


def _add_class() -> float:
    """A class held added to a random journal of the load year, as the journal service writes it (the
    class, then the hours done of that teacher's assignments); the write's CPU time in ms."""
    from django.db import transaction

    from records.models import Journal, JournalClass
    from records.projections import teaching_done

    journal = Journal.objects.filter(academic_year=LOAD_YEAR, period=1).order_by("?").first()
    assert journal is not None
    start = time.process_time()
    with transaction.atomic():
        JournalClass.objects.create(journal=journal, date=dt.date(LOAD_YEAR, 12, 20), kind="lecture", hours=2)
        teaching_done.classes_changed(
            year=journal.academic_year, term=journal.period, teacher_id=journal.teacher_id,
            discipline_code=journal.discipline_code, kind="lecture",
        )  # fmt: skip
    return (time.process_time() - start) * 1000


def after_change(client: Any, repeat: int, summary: list[tuple[str, str, float, float]], label: str) -> None:
    """The load pages' first view after a change: each request follows a class added to the journal."""
    for name, url, query in PAGES:
        if "load" not in url:
            continue
        times, cpu, writes = [], [], []
        for _ in range(repeat):
            writes.append(_add_class())
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, query)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        median, median_cpu = statistics.median(times), statistics.median(cpu)
        summary.append((label, f"{name} (after a change)", median, median_cpu))
        print(
            f"  {name + ' (after a change)':32s} median {median:6.0f} ms   worst {max(times):6.0f} ms   "
            f"cpu {median_cpu:6.0f} ms   class added: cpu {statistics.median(writes):4.0f} ms"
        )


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
        from records.projections import teaching_done

        start = time.perf_counter()
        stored = teaching_done.refresh_due()  # a database made before the hours-done projection
        if stored:
            print(f"hours done stored for {stored} assignments: {time.perf_counter() - start:.1f} s")
    if not StudentSpell.objects.exists():
        start = time.perf_counter()
        replay()
        print(f"replay (fills the spells): {time.perf_counter() - start:.1f} s")
    if not TermResultCell.objects.exists():  # a database made before the per-term results projection
        start = time.perf_counter()
        rebuild_term_results()
        print(f"per-term results rebuilt: {time.perf_counter() - start:.1f} s")
    add_load_and_ratings()
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
        after_change(client, args.repeat, summary, label)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    over = [(label, name, m, c) for label, name, m, c in summary if m >= 500]
    print(f"pages with a median of 500 ms or more: {len(over)} of {len(summary)}")
    for label, name, m, c in over:
        print(f"  {label}: {name} — {m:.0f} ms (cpu {c:.0f} ms)")


if __name__ == "__main__":
    main()
