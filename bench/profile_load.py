"""Where each URL of bench_load's mix spends its CPU: in-process requests, profiled with cProfile.

Usage:
    .venv/bin/python bench/profile_load.py [--data ./data] [--url portal,dashboard,...] [-n 20]
        [--top 25] [--sort cumulative|tottime]

Copies the seeded demo data (as bench_load does; the source is never modified), sets up Django with
settings.run on the copy, signs in as bench_load's users (force_login, the same sessions engine),
warms each URL once, then requests it -n times and prints, per URL: CPU ms per request (process
time), queries per request, and the profile's top functions. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_load import demo_in_process, loadavg  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--url", default="")
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument(
        "--plain", action="store_true", help="CPU ms and queries only, without cProfile's overhead"
    )
    args = parser.parse_args()
    demo_in_process(args.data)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from records.lifecycle import State
    from records.models import Document, Student

    User = get_user_model()

    registered = Document.objects.filter(state=State.REGISTERED)
    transcript = (
        registered.filter(kind="transcript", subject__user__isnull=False)
        .select_related("subject__user")
        .first()
    )
    signed = (
        registered.filter(signatures__isnull=False).order_by("id").first()
        or registered.exclude(verification_code="").order_by("id").first()
    )
    page = registered.filter(kind="grade_statement").order_by("-id").first() or signed
    assert signed is not None and page is not None, "the data directory holds no registered document"
    if transcript is not None:
        student = transcript.subject.user
    else:
        record = Student.objects.filter(person__user__isnull=False).select_related("person__user").first()
        assert record is not None, "no student with a login"
        student = record.person.user
    clients = {"public": Client()}
    for role, user in (
        ("student", student),
        ("registrar", User.objects.get(username="registrar")),
        ("archivist", User.objects.get(username="archivist")),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    mix = {
        "portal": ("student", "/portal/"),
        "transcript": ("student", f"/portal/documents/{transcript.pk}/pdf/" if transcript else "/portal/"),
        "dashboard": ("registrar", "/admin/"),
        "list": ("registrar", "/admin/registry/documents/"),
        "search": ("archivist", "/admin/search/?q=приказ"),
        "page": ("registrar", f"/admin/registry/documents/{page.pk}/"),
        "verify": ("public", f"/verify/{signed.verification_code}/"),
    }
    chosen = [u for u in args.url.split(",") if u] or list(mix)
    print(f"== profile of bench_load's URLs, {args.n} requests each, load average {loadavg()}")
    for name in chosen:
        role, url = mix[name]
        client = clients[role]
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        profile = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            cpu, wall = time.process_time(), time.perf_counter()
            if not args.plain:
                profile.enable()
            for _ in range(args.n):
                client.get(url)
            profile.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"\n-- {name} {url}: {cpu / args.n * 1000:.1f} ms CPU/request ({wall / args.n * 1000:.1f} ms wall), "
            f"{len(queries.captured_queries) / args.n:.1f} queries/request"
        )
        if args.plain:
            continue
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


if __name__ == "__main__":
    main()
