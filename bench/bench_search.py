"""Benchmark of the embedded search backend (tantivy) on a synthetic registry.

    .venv/bin/python bench/bench_search.py [--docs 100000] [--repeat 200] [--dir /tmp/bench-index]
        [--backend tantivy|elasticsearch|both] [--es-url http://127.0.0.1:9200]

Generates documents in Kazakh, Russian and English (seeded pseudo-words with real inflections, Zipf
word frequencies, people's names), indexes them through ``TantivyBackend.rebuild`` (Python analysis
included), and prints indexing throughput (wall and CPU), index size and median/p95 latency of five
query shapes plus a Latin-script name query. With ``--backend both`` (or ``elasticsearch``) the
same generated list is indexed by tantivy and then by the Elasticsearch node, and the same queries
run on each (the printed fingerprint covers every indexed document).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django

django.setup()

from elasticsearch import Elasticsearch  # noqa: E402

from search.backends.base import PermissionScope, SearchBackend, SearchDocument, SearchQuery  # noqa: E402
from search.backends.tantivy_backend import WORDS_FILE, TantivyBackend, index_size_bytes  # noqa: E402
from search.transliteration import latin_skeleton  # noqa: E402
from search.vocabulary import WordFile  # noqa: E402

KK_SYLLABLES = [
    "қа",
    "за",
    "ұл",
    "бі",
    "лі",
    "мек",
    "теп",
    "оқ",
    "ту",
    "шы",
    "әл",
    "ғы",
    "өн",
    "ер",
    "үй",
    "һа",
    "ің",
]
RU_SYLLABLES = [
    "сту",
    "ден",
    "при",
    "каз",
    "ве",
    "до",
    "мость",
    "эк",
    "за",
    "мен",
    "ка",
    "фе",
    "дра",
    "кур",
    "со",
]
EN_WORDS_ROOT = [
    "stud",
    "exam",
    "grad",
    "cours",
    "regist",
    "transcript",
    "facult",
    "credit",
    "semest",
    "order",
]
KK_SUFFIXES = [
    "",
    "",
    "тар",
    "тер",
    "дың",
    "дің",
    "да",
    "де",
    "ға",
    "ге",
    "дан",
    "ден",
    "мен",
    "тердің",
    "дағы",
]
RU_SUFFIXES = ["", "", "а", "ы", "ов", "ам", "ами", "ах", "ой", "ую", "ом", "е"]
EN_SUFFIXES = ["", "s", "ed", "ing", "es", "ation"]
KINDS = ["grade_statement", "order", "transcript", "diploma", "certificate", "curriculum", "load_plan"]
STATES = ["registered", "registered", "registered", "revoked", "superseded", "archived"]
RETENTION = ["permanent", "75y", "10y", "5y"]


def vocabulary(rng: random.Random, syllables: list[str], size: int) -> list[str]:
    """Pseudo-word roots of 2-4 syllables."""
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)]


class Generator:
    """Seeded synthetic registry."""

    def __init__(self, seed: int = 42) -> None:
        self.rng = random.Random(seed)
        self.kk = vocabulary(self.rng, KK_SYLLABLES, 3000)
        self.ru = vocabulary(self.rng, RU_SYLLABLES, 3000)
        self.en = [r + s for r in EN_WORDS_ROOT for s in ("", "e", "al", "ent")] + vocabulary(
            self.rng, ["ta", "ne", "ri", "son", "mil", "ver", "ad"], 2000
        )
        weights = [1 / (rank + 1) for rank in range(3000)]
        self.cum_weights = list(itertools.accumulate(weights))
        self.people = [
            f"{self.rng.choice(self.kk).title()}ов {self.rng.choice(self.ru).title()}" for _ in range(20000)
        ]
        self.signers = self.people[:200]

    def words(self, lang: str, count: int) -> list[str]:
        """``count`` inflected words of one language."""
        roots, suffixes = {
            "kk": (self.kk, KK_SUFFIXES),
            "ru": (self.ru, RU_SUFFIXES),
            "en": (self.en, EN_SUFFIXES),
        }[lang]
        chosen = self.rng.choices(roots, cum_weights=self.cum_weights[: len(roots)], k=count)
        out = [root + self.rng.choice(suffixes) for root in chosen]
        return [w.upper() if self.rng.random() < 0.03 else w for w in out]

    def document(self, n: int) -> SearchDocument:
        """The n-th document."""
        rng = self.rng
        lang = rng.choices(["kk", "ru", "en"], weights=[45, 45, 10])[0]
        faculty = rng.randrange(15)
        registered = datetime(1995, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(31 * 365 * 86400))
        subject = rng.randrange(20000)
        return SearchDocument(
            id=f"doc-{n:07d}",
            number=f"REG-{registered.year}-{n:06d}",
            kind=rng.choice(KINDS),
            title=" ".join(self.words(lang, rng.randint(4, 9))).capitalize(),
            body=" ".join(self.words(lang, rng.randint(120, 320))) + ".",
            org_unit_path=["univ", f"fac-{faculty}", f"dep-{faculty}-{rng.randrange(6)}"],
            people=[self.people[subject]],
            signers=rng.sample(self.signers, 2),
            subject_ids=[f"student-{subject}"],
            registered_at=registered,
            state=rng.choice(STATES),
            retention_class=rng.choice(RETENTION),
            language=lang,
        )

    def documents(self, count: int) -> Iterator[SearchDocument]:
        """``count`` documents."""
        for n in range(count):
            yield self.document(n)


def measure(
    repeat: int, make: Callable[[int], SearchQuery], backend: SearchBackend
) -> tuple[float, float, int]:
    """Median and p95 latency in ms (after 10 warm-up runs) and the median total."""
    for i in range(10):
        backend.search(make(i))
    timings, totals = [], []
    for i in range(repeat):
        query = make(i)
        start = time.perf_counter()
        results = backend.search(query)
        timings.append((time.perf_counter() - start) * 1000)
        totals.append(results.total)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], int(statistics.median(totals))


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--dir", default="")
    parser.add_argument(
        "--backend",
        choices=["tantivy", "elasticsearch", "both"],
        default="tantivy",
        help="elasticsearch (or both): run tantivy and then the Elasticsearch node on the same documents",
    )
    parser.add_argument(
        "--es-url",
        default=os.environ.get("RECTORATE_ELASTICSEARCH_URL") or "http://127.0.0.1:9200",
        help="the Elasticsearch node (engines/es.sh start)",
    )
    args = parser.parse_args()
    index_dir = Path(args.dir or tempfile.mkdtemp(prefix="bench-search-"))
    generator = Generator()
    print(f"documents: {args.docs}, load average: {os.getloadavg()[0]:.1f}")
    backends: list[tuple[str, Callable[[], SearchBackend]]] = [("tantivy", lambda: TantivyBackend(index_dir))]
    if args.backend in ("elasticsearch", "both"):
        backends.append(("elasticsearch", lambda: _elasticsearch(args.es_url)))

    # Documents are generated first, so the figure is the backend's (analysis in Python included),
    # not the synthetic generator's. Wall time depends on the machine's load; CPU time (this
    # process, every thread: Python analysis and tantivy's indexing threads) much less.
    start = time.perf_counter()
    docs = list(generator.documents(args.docs))
    print(f"generation: {time.perf_counter() - start:.1f} s (not counted below)")
    step = max(1, args.docs // 5000)
    title_sample = [doc.title for doc in docs[::step]]
    # Every backend indexes this one list and runs the same queries: the fingerprint proves it.
    print(f"documents fingerprint: {documents_fingerprint(docs)}")

    for label, make_backend in backends:
        backend = make_backend()
        load_before = os.getloadavg()[0]
        start, cpu_start, main_start = time.perf_counter(), time.process_time(), time.thread_time()
        backend.rebuild(iter(docs))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        # The main thread runs the Python analysis and hands documents over; tantivy indexes, merges
        # and commits in its own threads (the rest of the process CPU). For Elasticsearch the
        # engine's CPU is in the node's process and not counted here.
        python_cpu = time.thread_time() - main_start
        engine_cpu = cpu - python_cpu
        print(
            f"[{label}] indexing: {elapsed:.1f} s, {args.docs / elapsed:.0f} docs/s wall "
            f"(load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after); "
            f"{cpu:.1f} s CPU in this process, {args.docs / cpu:.0f} docs per CPU second"
        )
        print(
            f"[{label}]   Python (analysis and documents, main thread): {python_cpu:.1f} s CPU, "
            f"{python_cpu / args.docs * 1e6:.0f} µs per document; engine threads: {engine_cpu:.1f} s CPU, "
            f"{engine_cpu / args.docs * 1e6:.0f} µs per document"
        )
        if label == "tantivy":
            print(f"[{label}] index size: {index_size_bytes(index_dir) / 1e6:.1f} MB")
            words = WordFile(index_dir / (index_dir / "CURRENT").read_text().strip() / WORDS_FILE)
            expanded = {p: words.expand(p) for p in ("ст", "за", "қа", "ка", "де")}
            print(
                f"[{label}] vocabulary: {len(words)} words; terms of 2-letter prefixes: "
                + ", ".join(
                    f"{p}* {len(e.terms)}{' + prefix on the terms' if e.overflow else ''}"
                    for p, e in expanded.items()
                )
            )
        run_queries(label, backend, generator, title_sample, args.repeat)
        if label == "elasticsearch":
            backend.client.indices.delete(index=f"{BENCH_ALIAS}-v*", allow_no_indices=True)  # type: ignore[attr-defined]
    del docs
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if not args.dir:
        shutil.rmtree(index_dir, ignore_errors=True)


BENCH_ALIAS = "bench-search"


def documents_fingerprint(docs: list[SearchDocument]) -> str:
    """SHA-256 (first 16 hex digits) over every document's id, title and body."""
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(f"{doc.id}\x00{doc.title}\x00{doc.body}\x00".encode())
    return digest.hexdigest()[:16]


def _elasticsearch(url: str) -> SearchBackend:
    from search.backends.elastic import ElasticsearchBackend

    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    client = Elasticsearch(url, request_timeout=120)
    print(f"[elasticsearch] {url}: version {_version(client)}")
    return ElasticsearchBackend(client, alias=BENCH_ALIAS)


def _version(client: Elasticsearch) -> str:
    nodes = client.nodes.info(metric="jvm")["nodes"]
    node = next(iter(nodes.values()))
    return f"{node['version']}, Java {node['jvm']['version']}, heap {node['jvm']['mem']['heap_max_in_bytes'] // 2**20} MiB"


def run_queries(
    label: str, backend: SearchBackend, generator: Generator, title_sample: list[str], repeat: int
) -> None:
    """Time each query shape on `backend`."""
    rng = random.Random(7)
    frequent = generator.kk[:40] + generator.ru[:40]
    mid = generator.kk[10:1500] + generator.ru[10:1500]
    pairs = [(rng.choice(mid), rng.choice(frequent)) for _ in range(repeat + 10)]
    titles = [" ".join(t.split()[:2]) for t in rng.choices(title_sample, k=repeat + 10)]
    everything = PermissionScope.everything()
    surnames = [rng.choice(generator.signers).split()[0] for _ in range(repeat + 10)]
    short = ["ст", "за", "қа", "ка", "де"]
    roots = [rng.choice(mid) for _ in range(repeat + 10)]
    scope = PermissionScope.restricted(org_unit_prefixes=[["univ", "fac-3"]], subject_ids=["student-42"])
    facets = ["kind", "org_unit", "year", "state", "signers", "retention_class"]
    shapes: dict[str, Callable[[int], SearchQuery]] = {
        "free text (2 terms)": lambda i: SearchQuery(text=" ".join(pairs[i]), scope=everything),
        "phrase": lambda i: SearchQuery(text=f'"{titles[i]}"', scope=everything),
        "2 terms + filter + 6 facets": lambda i: SearchQuery(
            text=" ".join(pairs[i]),
            filters={"kind": [KINDS[i % len(KINDS)]], "state": ["registered"]},
            facets=facets,
            scope=everything,
        ),
        "scoped 2 terms + facets": lambda i: SearchQuery(text=" ".join(pairs[i]), facets=facets, scope=scope),
        "broad 1 term + 6 facets": lambda i: SearchQuery(
            text=frequent[i % 5], facets=facets, scope=everything
        ),
        # Prefixes expand through the vocabulary (search.vocabulary): a short one to thousands of
        # words, a root's first letters to a few dozen.
        "short prefix (2 letters)": lambda i: SearchQuery(text=f"{short[i % len(short)]}*", scope=everything),
        "root prefix (4 letters)": lambda i: SearchQuery(text=f"{roots[i][:4]}*", scope=everything),
        "prefix + term + 6 facets": lambda i: SearchQuery(
            text=f"{roots[i][:4]}* {frequent[i % 5]}", facets=facets, scope=everything
        ),
        # A surname typed in Latin letters: found through the names field's transliteration keys.
        "Latin surname + 6 facets": lambda i: SearchQuery(
            text=latin_skeleton(surnames[i].lower()).capitalize(), facets=facets, scope=everything
        ),
    }
    print(f"[{label}] queries ({repeat} runs each, top-20 with snippets):")
    for name, make in shapes.items():
        median, p95, total = measure(repeat, make, backend)
        print(f"  [{label}] {name:<30} median {median:6.2f} ms  p95 {p95:6.2f} ms  (median hits {total})")


if __name__ == "__main__":
    main()
