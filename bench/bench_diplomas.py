"""Diplomas end to end: batch generation (diploma + supplement per graduate) and dean + rector batch signing.

Usage:
    .venv/bin/python bench/bench_diplomas.py [--graduates 1000]

Builds, in a fresh database, a synthetic graduating class of N students with complete histories in
bulk (records.projections.bulk: policy, a one-year 60-credit curriculum, enrollment, three exam
statements, admission to final attestation, the protocol and the graduation orders), in groups of at
most 100 (one cohort each). Then times:

1. generation: one diploma batch per cohort (records.services.diplomas) run to the end — numbers,
   both documents created, frozen, approved (rendered by LibreOffice to PDF/A) and sent for signing;
   rendering is broken down into DOCX templating, PDF conversion and signature-field preparation
   (summed over the two threads that render a graduate's diploma and supplement at once);
2. signing: documents_sign_batch by the dean, then by the rector (the last signature registers).

Prints per-phase times, documents/s and the total; the target is < 15 minutes for 1000 graduates.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 15 * 60
GROUP_SIZE = 100
GRADUATION_DATE = "2025-06-30"


def setup() -> None:
    """A fresh SQLite database and data directory under the test settings, tasks left to a worker."""
    os.environ.setdefault("RECTORATE_DATA_DIR", tempfile.mkdtemp(prefix="rectorate-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.test"
    import django
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    # The test profile keeps one converter; production runs one per core (settings/base.py).
    settings.RECTORATE_CONVERTER_POOL_SIZE = int(
        os.environ.get("RECTORATE_CONVERTER_POOL_SIZE", os.cpu_count() or 1)
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _discipline(code: str, cycle: str, component: str, control: str = "exam") -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Дисциплина {code}",
        "credits": 15,
        "cycle": cycle,
        "component": component,
        "control_form": control,
    }


def build_class(graduates: int) -> tuple[dict[str, Any], list[str]]:
    """Register the synthetic class; returns the officials and the cohorts' group codes."""
    from django.db import transaction

    from records.kinds.student_order import kind_code
    from records.models import Person, Role, StudyGroup
    from records.projections.bulk import document_register_directly
    from tests.factories import make_org, make_person, make_staff

    org = make_org()
    org.programme.credits_total = 60
    org.programme.save()
    users = {
        "registrar": make_staff("registrar", Role.REGISTRAR, org.university),
        "dean": make_staff("dean", Role.DEAN, org.faculty),
        "rector": make_staff("rector", Role.RECTOR, org.university),
    }
    registrar = users["registrar"]

    def register(unit: Any, kind: str, data: dict[str, Any]) -> None:
        document_register_directly(by=registrar, kind=kind, org_unit=unit, title=kind, data=data)

    register(org.university, "academic_policy", {"effective_date": "2024-09-01"})
    register(
        org.department,
        "working_curriculum",
        {
            "programme_code": org.programme.code,
            "intake_year": 2024,
            "semesters": [
                {
                    "number": 1,
                    "disciplines": [
                        _discipline("D11", "general", "compulsory"),
                        _discipline("D12", "basic", "university"),
                    ],
                },
                {
                    "number": 2,
                    "disciplines": [
                        _discipline("D21", "major", "elective"),
                        _discipline("FA", "major", "compulsory", "final_attestation"),
                    ],
                },
            ],
        },
    )
    groups = []
    for index in range(math.ceil(graduates / GROUP_SIZE)):
        size = min(GROUP_SIZE, graduates - index * GROUP_SIZE)
        group = StudyGroup.objects.create(
            code=f"IS-24-B{index + 1}", programme=org.programme, intake_year=2024, language="kk"
        )
        groups.append(group.code)
        with transaction.atomic():
            people = []
            for _ in range(size):
                person = make_person(kind=Person.Kind.STUDENT)
                person.group = group
                person.save()
                people.append(person)
                register(
                    org.faculty,
                    kind_code("enrollment"),
                    {
                        "student_iin": person.iin,
                        "effective_date": "2024-09-01",
                        "programme_code": org.programme.code,
                        "group_code": group.code,
                        "year_of_study": 1,
                        "funding": "state_grant",
                    },
                )
            for code, period in (("D11", 1), ("D12", 1), ("D21", 2)):
                register(
                    org.department,
                    "grade_statement",
                    {
                        "discipline_code": code,
                        "discipline_name": f"Дисциплина {code}",
                        "credits": 15,
                        "group_code": group.code,
                        "academic_year": 2024,
                        "period": period,
                        "exam_date": "2025-01-10" if period == 1 else "2025-06-05",
                        "examiner": "Тестов Т.",
                        "lines": [
                            {"student_iin": p.iin, "rating1": 80 + i % 20, "rating2": 85, "exam": 70 + i % 30}
                            for i, p in enumerate(people)
                        ],
                    },
                )
            for person in people:
                register(
                    org.faculty,
                    kind_code("final_attestation_admission"),
                    {"student_iin": person.iin, "effective_date": "2025-05-20"},
                )
            register(
                org.faculty,
                "final_attestation_protocol",
                {
                    "form": "thesis_defence",
                    "discipline_code": "FA",
                    "discipline_name": "Защита дипломной работы",
                    "credits": 15,
                    "group_code": group.code,
                    "academic_year": 2024,
                    "period": 2,
                    "date": "2025-06-15",
                    "chair": "Председатель ГАК",
                    "members": ["Член ГАК 1", "Член ГАК 2"],
                    "lines": [{"student_iin": p.iin, "score": 75 + i % 25} for i, p in enumerate(people)],
                },
            )
            for person in people:
                register(
                    org.faculty,
                    kind_code("graduation"),
                    {
                        "student_iin": person.iin,
                        "effective_date": GRADUATION_DATE,
                        "grounds": "Решение ГАК",
                        "degree_awarded": "Бакалавр",
                    },
                )
    return users, groups


class Stopwatch:
    """Accumulates the time spent in wrapped functions, by label."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started

        return timed


def instrument(watch: Stopwatch) -> None:
    """Time the three steps of rendering (templating, conversion, signature fields) inside the pipeline."""
    from doctemplates import pipeline

    pipeline.render_docx = watch.wrap("  docx templating", pipeline.render_docx)  # type: ignore[assignment]
    pipeline.add_signature_fields = watch.wrap("  signature fields", pipeline.add_signature_fields)  # type: ignore[assignment]
    real_get = pipeline.get_converter

    def get_converter() -> Any:
        engine = real_get()
        if not getattr(engine, "_bench_wrapped", False):
            engine.convert_docx_to_pdf = watch.wrap(
                "  PDF conversion (LibreOffice)", engine.convert_docx_to_pdf
            )
            engine._bench_wrapped = True
        return engine

    pipeline.get_converter = get_converter  # type: ignore[assignment]


def line(label: str, seconds: float, count: int | None = None) -> None:
    rate = f"  {count / seconds:7.2f} docs/s" if count and seconds else ""
    print(f"{label:<40} {seconds:9.1f} s{rate}")


def enter_epvo_numbers(registrar: Any, groups: list[str]) -> None:
    """Each graduate's ЕПВО number, as the registrar enters them from the Ministry's module."""
    from records.selectors.diplomas import cohort_get
    from records.services.epvo import epvo_numbers_enter

    for group in groups:
        cohort = cohort_get(user=registrar, group_code=group, date=GRADUATION_DATE)
        numbers = {person.pk: f"KZ-{person.iin}" for _order, person in cohort.orders}
        epvo_numbers_enter(by=registrar, group_code=group, date=GRADUATION_DATE, numbers=numbers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--graduates", type=int, default=1000)
    args = parser.parse_args()
    setup()
    from records.demo.pki import bootstrap_pki, demo_passphrase
    from records.models import Document
    from records.selectors.diplomas import diploma_batch_documents
    from records.services.diplomas import diploma_batch_start
    from records.services.jobs import job_run
    from records.services.signature import documents_sign_batch

    started = time.perf_counter()
    users, groups = build_class(args.graduates)
    enter_epvo_numbers(users["registrar"], groups)
    bootstrap_pki(usernames={"dean", "rector"})
    from django.conf import settings

    print(
        f"{args.graduates} graduates in {len(groups)} cohorts, {os.cpu_count()} cores, "
        f"{settings.RECTORATE_CONVERTER_POOL_SIZE} converters"
    )
    line("setup (bulk history, PKI)", time.perf_counter() - started)

    watch = Stopwatch()
    instrument(watch)
    import records.services.diplomas as diplomas

    diplomas.documents_render_pdf = watch.wrap(  # type: ignore[assignment]
        "rendering (both documents at once)", diplomas.documents_render_pdf
    )
    generation = time.perf_counter()
    ids: list[int] = []
    for group in groups:
        job = job_run(diploma_batch_start(by=users["registrar"], group_code=group, date=GRADUATION_DATE).pk)
        assert job.failed == 0, job.results
        ids += diploma_batch_documents(job)
    generation = time.perf_counter() - generation
    assert len(ids) == 2 * args.graduates
    line("1. generation (both documents)", generation, len(ids))
    rendering = "rendering (both documents at once)"
    line(rendering, watch.seconds[rendering], len(ids))
    for label, seconds in sorted(watch.seconds.items(), key=lambda item: -item[1]):
        if label != rendering:
            line(label, seconds, len(ids))
    line(
        "  other (data, DB, audit, numbers)", generation - watch.seconds["rendering (both documents at once)"]
    )
    print("  (the indented rendering steps are summed over the two rendering threads)")

    signing_total = 0.0
    for role in ("dean", "rector"):
        signer = users[role]
        documents = list(Document.objects.filter(pk__in=ids).order_by("id"))
        phase = time.perf_counter()
        report = documents_sign_batch(
            documents=documents, by=signer, passphrase=demo_passphrase(signer.username)
        )
        phase = time.perf_counter() - phase
        signing_total += phase
        assert not report.failed, list(report.failed.items())[:3]
        line(f"2. signing by the {role}", phase, len(ids))
    registered = Document.objects.filter(pk__in=ids, state="registered").count()
    assert registered == len(ids), registered
    total = generation + signing_total
    line("total (generation + signing)", total, len(ids))
    projected = total / args.graduates * 1000
    print(f"projected for 1000 graduates: {projected / 60:.1f} min (target {TARGET_SECONDS // 60} min)")


if __name__ == "__main__":
    main()
