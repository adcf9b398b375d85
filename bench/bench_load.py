"""A bounded mixed load on the production server (gunicorn, settings.run) over a copy of the demo data.

Usage:
    .venv/bin/python bench/bench_load.py [--db sqlite|postgres] [--users 10,50] [--duration 60]
        [--data ./data] [--web-workers N] [--port 8104]

SQLite: copies the seeded demo data directory (./scripts/run made it; --data) to a temp directory;
when that directory holds no seeded demo (a fresh checkout), seeds one once into a template directory.
PostgreSQL: copies that same seeded demo once into the database ``rectorate_load_template`` (every
table by COPY, the data directory beside it) and copies it for each run (CREATE DATABASE ... TEMPLATE).
Then starts gunicorn on 127.0.0.1, signs in as a student, a registrar and an archivist, and for
each number of users drives, for --duration seconds, users that each request the next page of a
mix — the student's portal and transcript PDF, the registrar's dashboard, document list and a
document page, the archivist's search, the public verification page of a signed document — one
request at a time. Prints requests/s, p50/p95/p99 per URL, and errors. Asserts nothing about time.
Traffic goes to 127.0.0.1 only; every loop is bounded by the duration.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "rectorate-demo"
# Written into a template data directory once its demo is completely seeded.
SEEDED = "seeded-for-load-bench"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] if values else 0.0


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout if capture else ""


def sqlite_seeded(source: Path) -> Path:
    """`source` when it holds a seeded demo (./scripts/run made it), else a demo seeded once into a
    template directory beside the temp files (history in bulk, as the PostgreSQL path does)."""
    if (source / "rectorate.sqlite3").exists() and (source / "pki").exists():
        return source
    template = Path(tempfile.gettempdir()) / "rectorate-load-template-sqlite"
    if not (template / SEEDED).exists():  # an interrupted seeding is started again
        print(f"  {source} holds no seeded demo: seeding one into {template} (once; history in bulk) ...")
        shutil.rmtree(template, ignore_errors=True)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.run", "RECTORATE_DATA_DIR": str(template)}
        env.pop("DATABASE_URL", None)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "seed_demo", "--unsigned-statements")
        manage(env, "search", "rebuild")
        (template / SEEDED).touch()
    return template


def sqlite_copy(source: Path) -> dict[str, str]:
    source = sqlite_seeded(source)
    target = Path(tempfile.mkdtemp(prefix="rectorate-load-")) / "data"
    shutil.copytree(
        source,
        target,
        ignore=shutil.ignore_patterns("*.log", "cache", "static", "rectorate.sqlite3*"),
    )
    import sqlite3

    # A consistent snapshot even while a worker writes (the online backup API, not a file copy).
    with (
        sqlite3.connect(source / "rectorate.sqlite3") as src,
        sqlite3.connect(target / "rectorate.sqlite3") as dst,
    ):
        src.backup(dst)
    print(f"  copied {source} to {target}")
    return {"RECTORATE_DATA_DIR": str(target)}


def postgres_copy(source: Path) -> dict[str, str]:
    """A fresh copy (``rectorate_load``) of the template database ``rectorate_load_template``, made
    once from the same seeded demo the SQLite run uses (`source`, see `postgres_template_seed`)."""
    import psycopg

    url = subprocess.check_output([str(ROOT / "scripts/postgres.sh")], text=True).strip()
    base = url.rsplit("/", 1)[0]
    data = Path(tempfile.gettempdir()) / "rectorate-load-template"
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname='rectorate_load_template'").fetchone()
    if not exists or not (data / SEEDED).exists():  # an interrupted seeding is started again
        postgres_template_seed(sqlite_seeded(source), url, data)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS rectorate_load")
        conn.execute("CREATE DATABASE rectorate_load TEMPLATE rectorate_load_template")
    target = Path(tempfile.mkdtemp(prefix="rectorate-load-")) / "data"
    shutil.copytree(data, target, ignore=shutil.ignore_patterns("*.log", "cache", "static", SEEDED))
    return {"RECTORATE_DATA_DIR": str(target), "DATABASE_URL": f"{base}/rectorate_load"}


def postgres_template_seed(source: Path, url: str, data: Path) -> None:
    """Fill ``rectorate_load_template`` with the seeded SQLite demo in `source` (the very data the
    SQLite run serves: registry, audit chain, projections), table by table with COPY, and copy its
    data directory (blobs, PKI, index) to `data`. Seeding the demo again on PostgreSQL, one registration
    after another, ran at about 2 documents/s; a copy takes seconds and gives the same demo."""
    import psycopg

    started = time.monotonic()
    base = url.rsplit("/", 1)[0]
    print(f"  seeding rectorate_load_template from the SQLite demo in {source} ...")
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(
        source, data, ignore=shutil.ignore_patterns("*.log", "cache", "static", "rectorate.sqlite3*")
    )
    snapshot = data / "source.sqlite3"
    _sqlite_snapshot(source / "rectorate.sqlite3", snapshot)
    # The snapshot migrated to this checkout, so both databases have the same tables and columns.
    sqlite_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.run", "RECTORATE_DATA_DIR": str(data)}
    sqlite_env.pop("DATABASE_URL", None)
    (data / "rectorate.sqlite3").unlink(missing_ok=True)
    snapshot.rename(data / "rectorate.sqlite3")
    manage(sqlite_env, "migrate", "--no-input", "-v", "0")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS rectorate_load_template")
        conn.execute("CREATE DATABASE rectorate_load_template")
    pg_url = f"{base}/rectorate_load_template"
    manage({**sqlite_env, "DATABASE_URL": pg_url}, "migrate", "--no-input", "-v", "0")
    rows = _postgres_copy_tables(data / "rectorate.sqlite3", pg_url)
    # Projections added by migrations newer than the SQLite demo are filled from the registry (a demo
    # seeded before them has those tables empty; `registry replay --check` then fails on it).
    manage({**sqlite_env, "DATABASE_URL": pg_url}, "registry", "replay")
    (data / "rectorate.sqlite3").unlink()
    for extra in ("rectorate.sqlite3-wal", "rectorate.sqlite3-shm"):
        (data / extra).unlink(missing_ok=True)
    (data / SEEDED).touch()
    print(f"  rectorate_load_template: {rows:,} rows copied in {time.monotonic() - started:.0f} s")


def _sqlite_snapshot(source: Path, target: Path) -> None:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _postgres_copy_tables(sqlite_path: Path, pg_url: str) -> int:
    """Every table of the SQLite file into the migrated PostgreSQL database (emptied first), foreign
    keys checked by neither side while copying, then every identity sequence moved past its rows."""
    import sqlite3

    import psycopg

    total = 0
    src = sqlite3.connect(sqlite_path)
    try:
        tables = [
            name
            for (name,) in src.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            if name not in ("django_migrations", "sqlite_sequence") and not name.startswith("sqlite_")
        ]
        with psycopg.connect(pg_url) as conn:
            conn.execute("SET session_replication_role = replica")  # no FK triggers while copying
            conn.execute("SET TIME ZONE 'UTC'")  # Django keeps UTC datetimes without offset in SQLite
            pg_tables = {
                name
                for (name,) in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                )
            }
            wanted = [t for t in tables if t in pg_tables]
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in wanted) + " CASCADE")
            for table in wanted:
                columns = [row[1] for row in src.execute(f'PRAGMA table_info("{table}")')]
                kinds = dict(
                    conn.execute(
                        "SELECT column_name, data_type FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = %s",
                        (table,),
                    ).fetchall()
                )
                columns = [c for c in columns if c in kinds]
                booleans = [i for i, c in enumerate(columns) if kinds[c] == "boolean"]
                names = ", ".join(f'"{c}"' for c in columns)
                with conn.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in src.execute(f'SELECT {names} FROM "{table}"'):
                        if booleans:
                            row = list(row)
                            for i in booleans:
                                row[i] = None if row[i] is None else bool(row[i])
                        copy.write_row(row)
                        total += 1
            for table in wanted:
                for (column,) in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                    "AND table_name = %s AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')",
                    (table,),
                ).fetchall():
                    conn.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                        f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)',
                        (f'"{table}"', column),
                    )
            conn.execute("SET session_replication_role = DEFAULT")
    finally:
        src.close()
    return total


# What the mix needs from the demo: a student with a login, their registered transcript ("-" while
# the background history has not issued one yet), a registered document's verification code (a
# signed one when there is one) and a document page. Prints one line, or MISSING and what is missing.
FIXTURE_CODE = """
from records.lifecycle import State
from records.models import Document, Student
registered = Document.objects.filter(state=State.REGISTERED)
t = registered.filter(kind="transcript", subject__user__isnull=False).select_related("subject__user").first()
signed = (
    registered.filter(signatures__isnull=False).order_by("id").first()
    or registered.exclude(verification_code="").order_by("id").first()
)
page = registered.filter(kind="grade_statement").order_by("-id").first() or signed
record = Student.objects.filter(person__user__isnull=False).select_related("person__user").order_by("person_id").first()
student = t.subject.user.username if t else (record.person.user.username if record else None)
if student is None or signed is None:
    print("MISSING", "a student with a login" if student is None else "", "a registered document" if signed is None else "")
else:
    print(student, t.pk if t else "-", signed.verification_code, page.pk)
"""


SEARCH_CHECK = """
from django.contrib.auth import get_user_model
from records.selectors.search import SearchUnavailable, search_documents
try:
    search_documents(user=get_user_model().objects.get(username="archivist"), text="приказ")
    print("OK")
except SearchUnavailable:
    print("REBUILD")
"""


def fixture_of(env: dict[str, str], data: str) -> list[str]:
    """The FIXTURE_CODE line, or exit saying what the data directory lacks."""
    line = manage(env, "shell", "-v", "0", "-c", FIXTURE_CODE, capture=True).strip().splitlines()
    if not line or line[-1].startswith("MISSING"):
        sys.exit(
            f"{data} holds no seeded demo ({' '.join(line[-1].split()[1:]) if line else 'no output'}): "
            "run ./scripts/run once and let it seed, or pass --data"
        )
    return line[-1].split()


# --- CPU accounting (helper web): figures that mean something on a shared machine ---
TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields after "pid (comm) "


def server_cpu(master: int) -> float:
    """CPU seconds (user + system) of the gunicorn master, its live workers and the workers it reaped."""
    fields = _proc_stat(master)
    total = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            child = _proc_stat(int(entry.name))
        except (OSError, ValueError):
            continue
        if int(child[1]) == master:  # ppid
            total += int(child[11]) + int(child[12])
    return total / TICKS


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def demo_in_process(data: Path) -> None:
    """Django set up in this process (settings.run) on a copy of the seeded demo data, migrated, its
    static files collected, the test client's host allowed: the in-process benches' common start."""
    os.environ.update(sqlite_copy(data.resolve()))
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.run"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- end of CPU accounting ---


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)


async def login(base: str, username: str) -> aiohttp.CookieJar:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        async with session.get(f"{base}/admin/login/") as response:
            text = await response.text()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        assert token, "no CSRF token on the login page"
        form = {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1),
            "next": "/admin/",
        }
        async with session.post(
            f"{base}/admin/login/", data=form, headers={"Referer": f"{base}/admin/login/"}
        ) as response:
            await response.read()
            if "/login/" in str(response.url):
                sys.exit(f"cannot sign in as {username}")
    return jar


async def user_loop(
    index: int,
    mix: list[tuple[str, str, str]],
    sessions: dict[str, aiohttp.ClientSession],
    deadline: float,
    stats: Stats,
) -> None:
    step = index
    while time.monotonic() < deadline:
        name, role, url = mix[step % len(mix)]
        step += 1
        start = time.perf_counter()
        try:
            async with sessions[role].get(url, allow_redirects=False) as response:
                await response.read()
                ok = response.status == 200
                if not ok:
                    stats.examples.setdefault(name, f"HTTP {response.status}")
        except (TimeoutError, aiohttp.ClientError) as exc:
            ok = False
            stats.examples.setdefault(name, type(exc).__name__)
        elapsed = time.perf_counter() - start
        if time.monotonic() > deadline + 30:
            break
        stats.latencies[name].append(elapsed)
        if not ok:
            stats.errors[name] += 1


async def drive(base: str, users: int, duration: float, fixture: list[str], master: int = 0) -> None:
    student, transcript, code, page = fixture
    jars = {
        "student": await login(base, student),
        "registrar": await login(base, "registrar"),
        "archivist": await login(base, "archivist"),
        "public": aiohttp.CookieJar(unsafe=True),
    }
    mix = [
        ("portal", "student", f"{base}/portal/"),
        ("dashboard", "registrar", f"{base}/admin/"),
        *(
            [("transcript PDF", "student", f"{base}/portal/documents/{transcript}/pdf/")]
            if transcript != "-"
            else []  # the demo history has not reached the signed transcript yet
        ),
        ("document list", "registrar", f"{base}/admin/registry/documents/"),
        ("search", "archivist", f"{base}/admin/search/?q=приказ"),
        ("document page", "registrar", f"{base}/admin/registry/documents/{page}/"),
        ("verification", "public", f"{base}/verify/{code}/"),
    ]
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=0)
    sessions = {
        role: aiohttp.ClientSession(
            cookie_jar=jar, timeout=timeout, connector=connector, connector_owner=False
        )
        for role, jar in jars.items()
    }
    stats = Stats()
    cpu_before = (server_cpu(master) if master else 0.0, own_cpu())
    start = time.monotonic()
    try:
        await asyncio.gather(*(user_loop(i, mix, sessions, start + duration, stats) for i in range(users)))
    finally:
        for session in sessions.values():
            await session.close()
        await connector.close()
    elapsed = time.monotonic() - start
    cpu_server = (server_cpu(master) if master else 0.0) - cpu_before[0]
    cpu_client = own_cpu() - cpu_before[1]
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(stats.errors.values())
    every = [x for v in stats.latencies.values() for x in v]
    print(
        f"\n  {users} users, {elapsed:.0f} s: {total} requests, {total / elapsed:.1f} requests/s, "
        f"p50 {pct(every, 50) * 1000:.0f} ms, p95 {pct(every, 95) * 1000:.0f} ms, "
        f"p99 {pct(every, 99) * 1000:.0f} ms, errors {errors}"
    )
    print(f"  {'URL':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, _role, _url in mix:
        values = stats.latencies[name]
        print(
            f"  {name:<16}{len(values):>9}{pct(values, 50) * 1000:>9.0f}{pct(values, 95) * 1000:>9.0f}"
            f"{pct(values, 99) * 1000:>9.0f}{stats.errors[name]:>8}"
            + (f"  ({stats.examples[name]})" if name in stats.examples else "")
        )
    print(
        f"  server CPU {cpu_server:.1f} s = {cpu_server / max(total, 1) * 1000:.1f} ms/request; "
        f"load generator CPU {cpu_client:.1f} s = {cpu_client / max(total, 1) * 1000:.1f} ms/request; "
        f"load average {loadavg()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", default="10,50")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--web-workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8104)
    args = parser.parse_args()
    print(
        f"== load bench on {args.db}: gunicorn, settings.run, {args.web_workers} web workers "
        f"({os.environ.get('RECTORATE_WORKER_CLASS', 'BalancingThreadWorker')}, WEB_THREADS "
        f"{os.environ.get('WEB_THREADS', 2)}; deploy/gunicorn.conf.py)"
    )
    extra = sqlite_copy(args.data.resolve()) if args.db == "sqlite" else postgres_copy(args.data.resolve())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.run",
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    manage(env, "migrate", "--no-input", "-v", "0")  # the copy may predate this checkout's migrations
    manage(env, "collectstatic", "--no-input", "-v", "0")
    fixture = fixture_of(env, extra["RECTORATE_DATA_DIR"])
    # An index written by an older analysis/schema cannot be opened by this checkout (every search
    # would answer 503): rebuild it on the copy, as the worker's next drain would.
    if manage(env, "shell", "-v", "0", "-c", SEARCH_CHECK, capture=True).strip().endswith("REBUILD"):
        print("  the copied search index is of another version: rebuilding it on the copy ...")
        manage(env, "search", "rebuild", capture=True)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "settings.wsgi:application",
            "-c",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env={**env, "RECTORATE_BIND": f"127.0.0.1:{args.port}", "WEB_CONCURRENCY": str(args.web_workers)},
        start_new_session=True,
    )
    try:
        import urllib.request

        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/verify/", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        for users in (int(u) for u in args.users.split(",")):
            asyncio.run(drive(base, users, args.duration, fixture, server.pid))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
