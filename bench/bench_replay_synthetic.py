"""Replay of a synthetic registry of about a million grade lines (issue 6: under 10 minutes on 2 cores).

The generator builds, on an empty database, a university with ``--students`` students in groups of 25
(intakes 2018–2021, four years each) and registers their history in effective order: an academic
policy, enrollment orders, next-year orders, a few academic leaves with returns and expulsions,
admission to final attestation and graduation orders, and for every group, term and discipline
(4 years × 2 terms × 6 disciplines) an exam grade statement plus a retake statement for its FX/F.
20,000 students give about 1,000,000 grade lines in about 170,000 documents.

The documents are written in bulk (Document and Version rows with registry numbers and
registration times; no audit events, renditions or signatures) because the generator is a fixture,
not what is measured. Their data is what the kinds store: every statement and order is validated by
its kind's schema and the statement lines are computed by ``final_result`` under the registered
policy exactly as ``compute_statement`` does (checked against ``compute_statement`` itself for the
first statements). The projections are left empty; the measured phases then run the real command,
``manage.py registry replay`` (into empty tables, then again over full ones) and ``replay --check``,
each in its own process, reporting wall time, grade lines/s and that process's peak RSS.

Usage:
    .venv/bin/python bench/bench_replay_synthetic.py [--students 20000] [--db PATH] [--reuse]
        [--replays 2] [--no-check]
SQLite by default (a file, default /tmp/rectorate-bench-replay-<students>.sqlite3); PostgreSQL with
RECTORATE_TEST_DATABASE_URL set (the database is flushed first unless --reuse).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROUP_SIZE = 25
INTAKES = (2018, 2019, 2020, 2021)
YEARS = 4
DISCIPLINES = 6
FLUSH = 5000  # documents written per bulk insert


def _utc(day: dt.date, second: int) -> dt.datetime:
    """A registration time on `day` (09:00 UTC plus `second` seconds)."""
    return dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC) + dt.timedelta(seconds=second)


@dataclass
class Writer:
    """Buffers registered documents and writes them in bulk with preassigned ids, in registration order."""

    by: Any
    next_doc: int
    next_version: int
    counters: dict[tuple[str, int], int] = field(default_factory=dict)
    pending: list[tuple[Any, Any]] = field(default_factory=list)
    documents: int = 0
    last: dt.datetime | None = None

    def add(
        self,
        *,
        kind: Any,
        unit: Any,
        title: str,
        data: dict[str, Any],
        registered_at: dt.datetime,
        subject_id: int | None = None,
        by: Any = None,
    ) -> str:
        """Queue one registered document; returns its registry number."""
        from records.lifecycle import State
        from records.models import Document, Version
        from records.services.document import _data_sha256

        assert self.last is None or registered_at > self.last, "registration order"
        self.last = registered_at
        year = registered_at.year
        seq = self.counters.get((kind.series, year), 0) + 1
        self.counters[(kind.series, year)] = seq
        number = kind.format_number(year=year, seq=seq)
        document = Document(
            id=self.next_doc,
            kind=kind.code,
            title=title[:500],
            org_unit=unit,
            org_path=unit.path,
            subject_id=subject_id,
            created_by=by or self.by,
            retention_class=kind.retention_class,
            state=State.REGISTERED,
            registered_at=registered_at,
            registry_series=kind.series,
            registry_year=year,
            registry_seq=seq,
            registry_number=number,
            current_version_id=self.next_version,
        )
        version = Version(
            id=self.next_version,
            document_id=self.next_doc,
            number=1,
            data=data,
            data_sha256=_data_sha256(data),
            author=by or self.by,
            frozen=True,
            frozen_at=registered_at,
        )
        self.next_doc += 1
        self.next_version += 1
        self.pending.append((document, version))
        if len(self.pending) >= FLUSH:
            self.flush()
        return number

    def flush(self) -> None:
        """Write the queued documents and their versions (FKs are checked at commit)."""
        from records.models import Document, Version

        if not self.pending:
            return
        Document.objects.bulk_create([d for d, _v in self.pending], batch_size=500)
        Version.objects.bulk_create([v for _d, v in self.pending], batch_size=500)
        self.documents += len(self.pending)
        self.pending = []

    def finish(self) -> None:
        """Flush, store the registry counters, and move PostgreSQL sequences past the preassigned ids."""
        from django.core.management.color import no_style
        from django.db import connection

        from records.models import Document, RegistryCounter, Version

        self.flush()
        for (series, year), last in self.counters.items():
            RegistryCounter.objects.update_or_create(series=series, year=year, defaults={"last_value": last})
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Document, Version]):
                    cursor.execute(sql)


_POLICY: list[Any] = []  # the registered policy (one, in force for every exam date)


@functools.cache
def _line_result(rating1: str, rating2: str, exam: str | None) -> dict[str, Any]:
    """The computed columns of a statement line, as compute_statement fills them (cached per scores)."""
    from records.academics.rating import final_result

    result = final_result(rating1, rating2, exam, _POLICY[0])
    grade = result.grade
    return {
        "rating1": str(result.rating1),
        "rating2": str(result.rating2),
        "exam": None if result.exam is None else str(result.exam),
        "admission_rating": str(result.admission_rating),
        "admitted": result.admitted,
        "not_admitted_reason": result.not_admitted_reason.message if result.not_admitted_reason else "",
        "final_percent": None if result.final_percent is None else str(result.final_percent),
        "letter": grade.letter if grade else "",
        "points": None if grade is None else str(grade.points),
        "traditional": grade.traditional.get("ru") if grade else "",
        "traditional_mark": grade.traditional_mark if grade else None,
    }


def _score(rng: random.Random, ability: float, spread: float) -> int:
    return max(0, min(100, round(rng.gauss(ability, spread))))


class Generator:
    """The synthetic university and its registered history (see the module docstring)."""

    def __init__(self, students: int, seed: int) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models import Max

        from records.demo.seed import _iin, _person_fields, seed_demo
        from records.kinds.base import get_kind
        from records.models import (
            Document,
            OrgUnit,
            Person,
            Programme,
            Role,
            RoleAssignment,
            StudyGroup,
            Version,
        )

        seed_demo(students=0, seed=seed)
        self.rng = random.Random(seed)
        self.registrar = get_user_model().objects.get(username="registrar")
        self.university = OrgUnit.objects.get(parent__isnull=True)
        self.statement_kind = get_kind("grade_statement")
        self.get_kind = get_kind
        programmes = list(Programme.objects.filter(level="bachelor").select_related("department__parent"))
        groups = []
        for index in range((students + GROUP_SIZE - 1) // GROUP_SIZE):
            programme = programmes[index % len(programmes)]
            intake = INTAKES[(index // len(programmes)) % len(INTAKES)]
            lang = ("kk", "ru")[index % 2]
            groups.append(
                StudyGroup(
                    code=f"{programme.code}-{intake % 100}-{lang.upper()}{index:04d}",
                    programme=programme,
                    intake_year=intake,
                    language=lang,
                )
            )
        self.groups = StudyGroup.objects.bulk_create(groups, batch_size=500)
        used: set[str] = set(Person.objects.values_list("iin", flat=True))
        people = [
            Person(
                kind=Person.Kind.STUDENT,
                iin=_iin(self.rng, used),
                group=self.groups[n // GROUP_SIZE],
                **_person_fields(self.rng),
            )
            for n in range(students)
        ]
        Person.objects.bulk_create(people, batch_size=1000)
        self.people = list(Person.objects.filter(kind=Person.Kind.STUDENT).order_by("id"))
        self.members: dict[int, list[Any]] = {}
        for person in self.people:
            self.members.setdefault(person.group_id or 0, []).append(person)
        self.teachers = {
            a.org_unit_id: a.person
            for a in RoleAssignment.objects.filter(role=Role.TEACHER).select_related("person__user")
        }
        self.writer = Writer(
            by=self.registrar,
            next_doc=(Document.objects.aggregate(m=Max("id"))["m"] or 0) + 1,
            next_version=(Version.objects.aggregate(m=Max("id"))["m"] or 0) + 1,
        )
        self.ability = {p.pk: self.rng.gauss(72, 12) for p in self.people}
        self.status: dict[int, str] = {}
        self.lines = 0
        self.policy_version = ""
        self.checked = 0

    def run(self) -> None:
        """Register the whole history in effective order."""
        from records.projections.bulk import document_register_directly

        policy = document_register_directly(
            by=self.registrar,
            kind="academic_policy",
            org_unit=self.university,
            title="Академическая политика",
            data={"effective_date": f"{INTAKES[0]}-09-01"},
            registered_at=_utc(dt.date(INTAKES[0], 8, 20), 0),
        )
        self.policy_version = str(policy.pk)
        from records.projections.policy import policy_book

        book_policy, book_version = policy_book().at(dt.date(INTAKES[0] + 1, 1, 10))
        assert book_version == self.policy_version
        _POLICY.append(book_policy)
        self.writer.next_doc = policy.pk + 1
        assert policy.current_version_id is not None
        self.writer.next_version = policy.current_version_id + 1
        self.writer.last = policy.registered_at
        for year in range(INTAKES[0], INTAKES[-1] + YEARS):
            self._september(year)
            for period in (1, 2):
                self._term(year, period)
            self._summer(year)
        self.writer.finish()

    def _active(self, year: int) -> list[Any]:
        return [g for g in self.groups if g.intake_year <= year < g.intake_year + YEARS]

    def _order(
        self, person: Any, group: Any, order_type: str, effective: dt.date, at: dt.datetime, **extra: Any
    ) -> None:
        from records.kinds.student_order import kind_code

        kind = self.get_kind(kind_code(order_type))
        raw = {
            "student_iin": person.iin,
            "effective_date": effective.isoformat(),
            "grounds": "Заявление",
            **extra,
        }
        faculty = group.programme.department.parent or group.programme.department
        self.writer.add(
            kind=kind,
            unit=faculty,
            title=f"{order_type}: {person.full_name('ru')}",
            data=kind.validate(raw),
            registered_at=at,
            subject_id=person.pk,
        )

    def _september(self, year: int) -> None:
        second = 0
        day = dt.date(year, 9, 1)
        for group in self._active(year):
            for person in self.members.get(group.pk, []):
                second += 1
                at = _utc(dt.date(year, 8, 25), second)
                if year == group.intake_year:
                    funding = "state_grant" if self.rng.random() < 0.7 else "paid"
                    self._order(
                        person,
                        group,
                        "enrollment",
                        day,
                        at,
                        programme_code=group.programme.code,
                        group_code=group.code,
                        year_of_study=1,
                        funding=funding,
                    )
                    self.status[person.pk] = "enrolled"
                elif self.status.get(person.pk) == "enrolled":
                    self._order(person, group, "next_year", day, at)

    def _present(self, group: Any) -> list[Any]:
        return [p for p in self.members.get(group.pk, []) if self.status.get(p.pk) == "enrolled"]

    def _term(self, year: int, period: int) -> None:
        exam_day = dt.date(year + 1, 1, 10) if period == 1 else dt.date(year + 1, 6, 5)
        retake_day = exam_day + dt.timedelta(days=14)
        regulars: list[tuple[Any, str, dict[str, Any], Any]] = []
        retakes_: list[tuple[Any, str, dict[str, Any], Any]] = []
        for group in self._active(year):
            semester = (year - group.intake_year) * 2 + period
            present = self._present(group)
            if not present:
                continue
            teacher = self.teachers.get(group.programme.department_id)
            by = teacher.user if teacher is not None and teacher.user is not None else self.registrar
            examiner = teacher.full_name("ru") if teacher is not None else "Экзаменатор"
            for index in range(DISCIPLINES):
                code = f"{group.programme.code[-3:]}{semester}{index}"
                base = {
                    "discipline_code": code,
                    "discipline_name": f"{group.programme.name_ru}: модуль {semester}.{index + 1}",
                    "credits": 5,
                    "group_code": group.code,
                    "academic_year": year,
                    "period": period,
                    "examiner": examiner,
                }
                raw = [
                    {
                        "student_iin": p.iin,
                        "rating1": max(_score(self.rng, self.ability[p.pk] + 5, 8), 50),
                        "rating2": max(_score(self.rng, self.ability[p.pk] + 5, 8), 50),
                        "exam": _score(self.rng, self.ability[p.pk], 14),
                    }
                    for p in present
                ]
                data = self._statement(
                    group, present, {**base, "exam_date": exam_day.isoformat(), "lines": raw}
                )
                regulars.append((group, f"{code} {group.code} {year}-{period}", data, by))
                failed = [
                    (p, line)
                    for p, line in zip(present, data["lines"], strict=True)
                    if line["letter"] in ("FX", "F")
                ]
                if not failed:
                    continue
                retakes = [
                    {
                        "student_iin": p.iin,
                        "rating1": line["rating1"],
                        "rating2": line["rating2"],
                        "exam": max(_score(self.rng, 65, 10), 40),
                    }
                    for p, line in failed
                ]
                retake = self._statement(
                    group,
                    [p for p, _line in failed],
                    {**base, "attempt_kind": "retake", "exam_date": retake_day.isoformat(), "lines": retakes},
                )
                retakes_.append((group, f"{code} {group.code} {year}-{period} пересдача", retake, by))
        for registered, items in (
            (exam_day + dt.timedelta(days=2), regulars),
            (retake_day + dt.timedelta(days=2), retakes_),
        ):
            for second, (group, title, data, by) in enumerate(items, start=1):
                self.writer.add(
                    kind=self.statement_kind,
                    unit=group.programme.department,
                    title=title,
                    data=data,
                    registered_at=_utc(registered, second),
                    by=by,
                )

    def _statement(self, group: Any, persons: list[Any], raw: dict[str, Any]) -> dict[str, Any]:
        """The stored data of a statement: validated by the kind, lines computed as compute_statement does."""
        clean = self.statement_kind.validate(raw)
        lines = [
            {
                "student_iin": person.iin,
                "student_name": person.full_name("ru"),  # as compute_statement names them
                **_line_result(line["rating1"], line["rating2"], line.get("exam")),
            }
            for person, line in zip(persons, clean["lines"], strict=True)
        ]
        self.lines += len(lines)
        data = {**clean, "lines": lines, "policy_version": self.policy_version}
        if self.checked < 3 and clean["attempt_kind"] == "regular":
            from records.kinds.grade_statement import compute_statement

            self.checked += 1
            assert compute_statement(clean) == data, "the generator must store what the kind computes"
        return data

    def _summer(self, year: int) -> None:
        """Admission and graduation of the last year, expulsions of the weakest, leaves with returns."""
        phases: dict[str, list[tuple[Any, Any, dict[str, Any]]]] = {
            name: [] for name in ("admission", "graduation", "expulsion", "leave", "return")
        }
        for group in self._active(year):
            last_year = year == group.intake_year + YEARS - 1
            for person in self._present(group):
                if last_year:
                    phases["admission"].append((person, group, {}))
                    degree = f"Бакалавр ({group.programme.name_ru})"
                    phases["graduation"].append((person, group, {"degree_awarded": degree}))
                    self.status[person.pk] = "graduated"
                elif self.ability[person.pk] < 45 and self.rng.random() < 0.5:
                    phases["expulsion"].append((person, group, {"grounds": "Академическая неуспеваемость"}))
                    self.status[person.pk] = "expelled"
                elif self.rng.random() < 0.01:
                    end = dt.date(year + 1, 8, 31).isoformat()
                    phases["leave"].append((person, group, {"leave_grounds": "illness", "end_date": end}))
                    phases["return"].append((person, group, {}))
        plan = (
            ("admission", "final_attestation_admission", dt.date(year + 1, 5, 20), dt.date(year + 1, 6, 25)),
            ("graduation", "graduation", dt.date(year + 1, 6, 30), dt.date(year + 1, 6, 30)),
            ("expulsion", "expulsion", dt.date(year + 1, 7, 1), dt.date(year + 1, 7, 1)),
            ("leave", "academic_leave", dt.date(year + 1, 7, 2), dt.date(year + 1, 7, 2)),
            ("return", "return_from_leave", dt.date(year + 1, 8, 31), dt.date(year + 1, 8, 20)),
        )
        for name, order_type, effective, registered in plan:
            for second, (person, group, extra) in enumerate(phases[name], start=1):
                self._order(person, group, order_type, effective, _utc(registered, second), **extra)


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


def generate(students: int, seed: int) -> tuple[int, int, float]:
    """Migrate and fill the bench database; returns (documents, grade lines, seconds)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    else:
        call_command("migrate", verbosity=0)
    start = time.perf_counter()
    with transaction.atomic():
        generator = Generator(students, seed)
        generator.run()
    return generator.writer.documents + 1, generator.lines, time.perf_counter() - start


CHILD = "--run-command"
HWM = "peak-rss-kib:"


def run_command(argv: list[str]) -> None:
    """In the child: run `manage.py <argv>` and print its own peak RSS (VmHWM of this process image).

    getrusage's maxrss would include the parent's memory at fork time; VmHWM starts at exec.
    """
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["manage.py", *argv])
    finally:
        status = Path("/proc/self/status").read_text()
        peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
        print(f"{HWM} {peak}", file=sys.stderr)


def measure(env: dict[str, str], *args: str) -> tuple[float, float, int, str, int]:
    """Run `manage.py registry replay *args` in a child process.

    Returns (wall seconds, CPU seconds, peak RSS in MiB, stdout, exit code); the CPU time is less
    sensitive than the wall time to other work on a shared machine.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, __file__, CHILD, "registry", "replay", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode()
        errors = err.read().decode()
        if child.returncode != 0:
            text += errors[-3000:]
    peak = max((int(line.split()[1]) for line in errors.splitlines() if line.startswith(HWM)), default=0)
    return elapsed, usage.ru_utime + usage.ru_stime, peak // 1024, text, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default in /tmp)")
    parser.add_argument("--reuse", action="store_true", help="measure an already generated database")
    parser.add_argument(
        "--replays", type=int, default=2, help="replays to time (the first into empty tables)"
    )
    parser.add_argument("--no-check", action="store_true")
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"rectorate-bench-replay-{args.students}.sqlite3"
    env = _setup(db)
    import django

    django.setup()
    from records.models.academic import GradeLine

    if not args.reuse:
        if db.exists():
            db.unlink()
        cpu_start = time.process_time()
        documents, lines, seconds = generate(args.students, args.seed)
        print(f"generation CPU: {time.process_time() - cpu_start:.1f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"generation: {documents} documents, {lines} grade lines in {seconds:.1f} s (peak RSS {peak} MiB)"
        )
    else:
        lines = GradeLine.objects.count()
    sys.stdout.flush()
    for run in range(args.replays):
        elapsed, cpu, rss, text, code = measure(env)
        assert code == 0, text
        lines = GradeLine.objects.count()
        label = "into empty tables" if run == 0 and not args.reuse else "over full tables"
        print(
            f"replay ({label}): {elapsed:.1f} s wall, {cpu:.1f} s CPU, {lines / elapsed:.0f} grade lines/s, "
            f"peak RSS {rss} MiB"
        )
        print(f"  {text.strip()}")
        sys.stdout.flush()
    if not args.no_check:
        elapsed, cpu, rss, text, code = measure(env, "--check")
        verdict = "0 differences" if code == 0 else "DIFFERENCES"
        print(
            f"replay --check: {elapsed:.1f} s wall, {cpu:.1f} s CPU, {lines / elapsed:.0f} grade lines/s, "
            f"peak RSS {rss} MiB, {verdict}"
        )
        if code != 0:
            print(text[-5000:])
            sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1:2] == [CHILD]:
        run_command(sys.argv[2:])
    else:
        main()
