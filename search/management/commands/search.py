"""``manage.py search "query" [--kind K] [--json]`` and ``search rebuild|reconcile|drain``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from search import sync
from search.backends import get_backend
from search.backends.base import PermissionScope, SearchDocument, SearchQuery
from search.query import SearchError

ACTIONS = ("rebuild", "reconcile", "drain")


class Command(BaseCommand):
    """Search the index from the shell, or maintain it."""

    help = 'Search: search "query" [--kind K] [--json]; or search rebuild | reconcile | drain.'

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the arguments."""
        parser.add_argument("words", nargs="+", help='"query text", or one of: rebuild, reconcile, drain')
        parser.add_argument(
            "--kind", action="append", default=[], help="only this document kind (repeatable)"
        )
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument("--size", type=int, default=20, help="number of hits (1-100)")
        parser.add_argument("--sort", default="relevance", help="relevance, date, -date or number")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the maintenance action or run the query."""
        words: list[str] = options["words"]
        try:
            if len(words) == 1 and words[0] in ACTIONS:
                getattr(self, f"_{words[0]}")()
            else:
                self._search(" ".join(words), options)
        except SearchError as exc:
            raise CommandError(str(exc)) from exc

    def _search(self, text: str, options: dict[str, Any]) -> None:
        filters = {"kind": options["kind"]} if options["kind"] else {}
        query = SearchQuery(
            text=text,
            filters=filters,
            facets=["kind", "year", "state"],
            sort=options["sort"],
            size=options["size"],
            scope=PermissionScope.everything(),
        )
        results = get_backend().search(query)
        if options["json"]:
            payload = {
                "total": results.total,
                "hits": [
                    {
                        "id": h.id,
                        "score": h.score,
                        "fields": h.fields,
                        "title": h.title_html,
                        "snippets": h.snippets,
                    }
                    for h in results.hits
                ],
                "facets": {k: [[c.value, c.count] for c in v] for k, v in results.facets.items()},
                "next_cursor": results.next_cursor,
                "truncated": results.query.truncated,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{results.total} documents")
        for hit in results.hits:
            number = hit.fields.get("number") or "-"
            self.stdout.write(f"{hit.id}\t{number}\t{hit.fields.get('title', '')}")
            for snippet in hit.snippets:
                self.stdout.write(f"    {snippet}")

    def _rebuild(self) -> None:
        def progress(docs: Iterator[SearchDocument]) -> Iterator[SearchDocument]:
            return iter(tqdm(docs, desc="indexing", unit="doc", file=self.stderr._out))

        count = sync.rebuild(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"rebuilt the index with {count} documents"))

    def _reconcile(self) -> None:
        report = sync.reconcile()
        self.stdout.write(f"re-indexed {len(report.missing)} missing, deleted {len(report.orphans)} orphans")

    def _drain(self) -> None:
        report = sync.drain()
        self.stdout.write(f"indexed {report.indexed}, deleted {report.deleted}, entries {report.entries}")
        if not report.ok:
            raise CommandError(f"stopped: {report.error} (entries kept for a retry)")
