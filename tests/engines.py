"""Test-time engines and reference validators of engines/ (a Maven project; see engines/NOTES.md).

- Elasticsearch: a real node started by ``engines/es.sh start`` (``scripts/test`` does it). Tests run
  against it when ``RECTORATE_ELASTICSEARCH_URL`` names it; ``RECTORATE_TEST_ENGINES=1`` (set by
  ``scripts/test``) says the node must be there, so an unset URL or an unreachable node FAILS the
  Elasticsearch variants instead of leaving them out.
- veraPDF and EU DSS: Java programs on the Maven classpath of engines/verapdf and engines/dss, built
  on first use (``engines/es.sh build``); a machine without Java 21 or Maven fails those tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ENGINES = Path(__file__).resolve().parent.parent / "engines"


def engines_required() -> bool:
    """True when the suite is told the engines are there (``RECTORATE_TEST_ENGINES=1``)."""
    return os.environ.get("RECTORATE_TEST_ENGINES", "") not in ("", "0")


def elasticsearch_url() -> str:
    return str(getattr(settings, "RECTORATE_ELASTICSEARCH_URL", "") or "")


def search_backend_names() -> list[str]:
    """The real backends a search test runs on: tantivy always, Elasticsearch when configured or required."""
    names = ["tantivy"]
    if elasticsearch_url() or engines_required():
        names.append("elasticsearch")
    return names


def elasticsearch_client() -> Any:
    """A client of the test node; fails the test (never skips) when the node is missing or down."""
    from elasticsearch import Elasticsearch

    url = elasticsearch_url()
    if not url:
        pytest.fail(
            "RECTORATE_TEST_ENGINES=1 but RECTORATE_ELASTICSEARCH_URL is unset: start the node "
            "(engines/es.sh start) and point RECTORATE_ELASTICSEARCH_URL at it"
        )
    client = Elasticsearch(url, request_timeout=30)
    try:
        client.cluster.health(wait_for_status="yellow", timeout="10s")
    except Exception as exc:
        pytest.fail(f"the Elasticsearch node at {url} does not answer ({exc}); engines/es.sh start")
    return client


def drop_alias_indices(client: Any, alias: str) -> None:
    client.indices.delete(index=f"{alias}-v*", ignore_unavailable=True, allow_no_indices=True)


@contextmanager
def configured_search_backend(name: str, settings: Any, tmp_path: Path) -> Iterator[str]:
    """Point the project's settings at a fresh, empty index of backend ``name`` (dropped afterwards)."""
    settings.RECTORATE_SEARCH_BACKEND = name
    settings.RECTORATE_SEARCH_INDEX_DIR = tmp_path / "index"
    if name != "elasticsearch":
        yield name
        return
    client = elasticsearch_client()
    alias = f"test-{uuid.uuid4().hex[:12]}"
    settings.RECTORATE_ELASTICSEARCH_ALIAS = alias
    try:
        yield name
    finally:
        drop_alias_indices(client, alias)


# --- the Java validators -----------------------------------------------------------------------


@cache
def _built() -> None:
    done = subprocess.run(
        [str(ENGINES / "es.sh"), "build"], capture_output=True, text=True, timeout=1800, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"engines/ did not build:\n{done.stdout}\n{done.stderr}")


def java(module: str, main: str, args: list[str], *, timeout: int = 1800) -> subprocess.CompletedProcess[str]:
    """Run ``main`` of engines/<module> in one JVM (Java 21+) with ``args``."""
    _built()
    jar = ENGINES / module / "target" / f"{module}-1.jar"
    classpath = f"{jar}:{(ENGINES / module / 'target' / 'classpath.txt').read_text().strip()}"
    binary = subprocess.run(
        ["bash", "-c", f'source "{ENGINES}/java.sh" && engines_java 21'],
        capture_output=True,
        text=True,
        check=False,
    )
    if binary.returncode != 0:
        pytest.fail(f"no Java 21 or newer: {binary.stderr}")
    command = [binary.stdout.strip(), "-Xmx768m", "-XX:+UseSerialGC", "-cp", classpath, main, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def java_json(module: str, main: str, args: list[str]) -> Any:
    """Run a validator that prints one JSON document on standard output, and parse it."""
    done = java(module, main, args)
    try:
        return json.loads(done.stdout)
    except ValueError:
        pytest.fail(
            f"{main} exited {done.returncode} without a JSON report:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
