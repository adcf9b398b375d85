"""Replay of the demo registry: seed the demo university and its academic history, then rebuild every
projection from the registry (`registry replay`) and check it (`--check`). Prints figures.

Usage: .venv/bin/python bench/bench_replay.py [--students 2000] [--groups 6]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--groups", type=int, default=6)
    args = parser.parse_args()
    os.environ.setdefault("RECTORATE_DATA_DIR", tempfile.mkdtemp(prefix="rectorate-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.test"
    import django
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from records.demo.academic import seed_academic
    from records.demo.seed import seed_demo
    from records.models import Document, GradeLine, StudentStatusEvent
    from records.projections.replay import replay

    seed_demo(students=args.students, seed=2026)
    start = time.perf_counter()
    result = seed_academic(seed=2026, max_groups=args.groups, signed=False)  # the replay reads data, not PDFs
    print(
        f"academic history: {sum(result.documents.values())} documents in {time.perf_counter() - start:.1f} s"
    )
    lines = GradeLine.objects.count()
    events = StudentStatusEvent.objects.count()
    documents = Document.objects.filter(state="registered").count()
    print(f"registry: {documents} registered documents, {lines} grade lines, {events} status events")
    start = time.perf_counter()
    replay()
    elapsed = time.perf_counter() - start
    print(f"replay: {elapsed:.1f} s ({lines / elapsed:.0f} grade lines/s)")
    start = time.perf_counter()
    report = replay(check=True)
    differences = sum(len(v) for v in report.missing.values()) + sum(
        len(v) for v in report.unexpected.values()
    )
    print(f"replay --check: {time.perf_counter() - start:.1f} s, {differences} differing rows")
    print(
        f"1,000,000 grade lines at this rate: about {1_000_000 / (lines / elapsed) / 60:.1f} min (extrapolated)"
    )


if __name__ == "__main__":
    main()
