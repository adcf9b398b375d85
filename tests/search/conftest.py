"""Fixtures of the search tests: a corpus, the real backends, and an OpenSearch-API emulator.

Backends under test:
- ``tantivy``: always, in a temporary directory.
- ``osmem``: always. ``osmem-server`` (PyPI) is an in-memory OpenSearch-compatible emulator started
  here as a subprocess; the ES 9 client talks to it through ``OpenSearchCompatNode`` (test-only),
  which undoes the ``compatible-with=9`` media type and adds the product header the client demands.
- ``elasticsearch``: a real Elasticsearch 9 node (engines/es.sh; ``scripts/test`` starts it) when
  ``settings.RECTORATE_ELASTICSEARCH_URL`` names it or ``RECTORATE_TEST_ENGINES=1`` requires it; a
  required node that is missing or down fails these variants (see tests/engines.py).

``osmem`` is an extra beside the real node. What the osmem runs cannot prove (an emulator, not Lucene):
- scoring: BM25 details and boosts are only approximated, so contract tests never compare scores
  between backends and only check relative order where any sane ranking agrees;
- analysis: our text fields use the ``whitespace`` analyser over terms analysed in Python, so the
  engine's language analysers are irrelevant, but whitespace tokenisation itself is emulated;
- Elasticsearch-only API (ES 8/9 features, ``exclude_vectors``), error shapes, refresh and alias
  semantics under concurrency, cluster behaviour, performance.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from elastic_transport import HttpHeaders, Urllib3HttpNode
from elasticsearch import Elasticsearch
from osmem_server import OsmemServer

from search.backends.base import SearchBackend, SearchDocument
from search.backends.elastic import ElasticsearchBackend
from search.backends.tantivy_backend import TantivyBackend
from tests.engines import drop_alias_indices, elasticsearch_client, search_backend_names

_COMPAT_RE = re.compile(r"application/vnd\.elasticsearch\+([\w-]+);\s*compatible-with=\d+")


class OpenSearchCompatNode(Urllib3HttpNode):
    """Test-only transport: plain JSON media types and a faked product header for OpenSearch-API servers."""

    def perform_request(
        self, method: str, target: str, body: Any = None, headers: Any = None, **kw: Any
    ) -> Any:
        h = HttpHeaders(headers or {})
        for key in ("accept", "content-type"):
            if key in h:
                h[key] = _COMPAT_RE.sub(r"application/\1", h[key])
        response = super().perform_request(method, target, body=body, headers=h, **kw)
        response.meta.headers["x-elastic-product"] = "Elasticsearch"
        return response


@pytest.fixture(scope="session")
def osmem_url() -> Iterator[str]:
    """URL of an osmem-server process for the whole session (fails, never skips, when it cannot start)."""
    server = OsmemServer.start(japanese=False)
    try:
        yield server.url
    finally:
        server.close()


def _backend_params() -> list[str]:
    names = search_backend_names()
    return [names[0], "osmem", *names[1:]]


@pytest.fixture(params=_backend_params())
def backend(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[SearchBackend]:
    """A fresh, empty backend of each kind."""
    if request.param == "tantivy":
        yield TantivyBackend(tmp_path / "index")
        return
    if request.param == "osmem":
        client = Elasticsearch(request.getfixturevalue("osmem_url"), node_class=OpenSearchCompatNode)
    else:
        client = elasticsearch_client()
    alias = f"test-{uuid.uuid4().hex[:12]}"
    yield ElasticsearchBackend(client, alias=alias)
    drop_alias_indices(client, alias)


def at(year: int, month: int = 1, day: int = 1, hour: int = 9) -> datetime:
    """An aware datetime."""
    return datetime(year, month, day, hour, tzinfo=UTC)


def corpus() -> list[SearchDocument]:
    """Twelve documents in three languages over two faculties, with known facet counts."""
    return [
        SearchDocument(
            id="doc-01",
            number="ВЕД-2026-000123",
            kind="grade_statement",
            title="Қазақстандағы студенттердің емтихан ведомосі",
            body="Емтихан нәтижелері: студенттердің бағалары. Оқытушы Ахметов Ержан.",
            org_unit_path=["univ", "fac-1", "dep-11"],
            people=["Ахметов Ержан", "Akhmetov Yerzhan"],
            signers=["Сейітова А."],
            subject_ids=["student-1"],
            registered_at=at(2026, 1, 15),
            state="registered",
            retention_class="permanent",
            language="kk",
        ),
        SearchDocument(
            id="doc-02",
            number="123-С",
            kind="order",
            title="Приказ о зачислении студентов",
            body="Зачислить студентов на первый курс. Ёлка в холле университета. <script>alert(1)</script>",
            org_unit_path=["univ", "fac-1"],
            people=["Иванов Пётр"],
            signers=["Ректор Байжанов"],
            subject_ids=["student-2", "student-3"],
            registered_at=at(2025, 9, 1),
            state="registered",
            retention_class="permanent",
            language="ru",
        ),
        SearchDocument(
            id="doc-03",
            number="124-С",
            kind="order",
            title="Приказ об отчислении студента",
            body="Отчислить студента за академическую задолженность по экзаменам.",
            org_unit_path=["univ", "fac-2", "dep-21"],
            people=["Сидорова Мария"],
            signers=["Ректор Байжанов"],
            subject_ids=["student-4"],
            registered_at=at(2025, 10, 3),
            state="revoked",
            retention_class="75y",
            language="ru",
        ),
        SearchDocument(
            id="doc-04",
            number="TR-2024-0001",
            kind="transcript",
            title="Academic transcript of the student",
            body="The student passed the exam results review. Running totals of credits are attached.",
            org_unit_path=["univ", "fac-2"],
            people=["Smith John"],
            signers=["Registrar Brown"],
            subject_ids=["student-5"],
            registered_at=at(2024, 6, 30),
            state="registered",
            retention_class="75y",
            language="en",
        ),
        SearchDocument(
            id="doc-05",
            number="TR-2024-0002",
            kind="transcript",
            title="Transcript with exam notes",
            body="Results of the exam are pending; the review will follow.",
            org_unit_path=["univ", "fac-1", "dep-12"],
            people=["Doe Jane"],
            signers=["Registrar Brown"],
            subject_ids=["student-1"],
            registered_at=at(2024, 7, 1),
            state="registered",
            retention_class="75y",
            language="en",
        ),
        *[
            SearchDocument(
                id=f"doc-{n:02d}",
                number=f"ЦЕР-2023-{n:04d}",
                kind="certificate",
                title=f"Анықтама {n}",
                body=f"Университеттің анықтамасы оқушыға беріледі, нөмірі {n}.",
                org_unit_path=["univ", "fac-1" if n % 2 else "fac-2"],
                people=[f"Оқушы {n}"],
                signers=["Сейітова А."],
                subject_ids=[f"student-{n}"],
                registered_at=at(2023, 1, n),
                state="registered",
                retention_class="5y",
                language="kk",
            )
            for n in range(6, 13)
        ],
    ]
