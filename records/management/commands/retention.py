"""`manage.py retention due [--json] [--on DATE] [--series INDEX]`: the records whose retention ran out.

Each line: the registry number, the series, the due date, the action at the end (destroy, review,
transfer) and the holds that keep it. Runs as the system over every record (no permission scope),
streaming (one query on the filings, no model instances, one JSON encoding per few thousand
records; bench/bench_retention_due.py). Nothing is destroyed here:
only a registered disposition act destroys.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.selectors.disposition import due_rows, due_summary


class Command(BaseCommand):
    help = "Retention: list the records whose retention period has run out (the due list)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="List the records due for disposition review.")
        due.add_argument("--json", action="store_true", help="one JSON object on stdout")
        due.add_argument("--on", help="the day to ask about (YYYY-MM-DD; today by default)")
        due.add_argument("--series", default="", help="only this series index")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else None
        except ValueError as exc:
            raise CommandError(f"--on: not a date: {options['on']!r}") from exc
        rows = due_rows(on=on, series=options["series"])
        write = self.stdout.write
        total = held = 0
        if options["json"]:
            summary = due_summary(on=on)
            by_series = [{"series": s, "action": a, "count": n} for s, a, n in summary.by_series]
            head = {"on": on.isoformat() if on else None, "by_series": by_series}
            write(json.dumps(head, ensure_ascii=False)[:-1] + ', "records": [', ending="")
            dumps = json.JSONEncoder(ensure_ascii=False).encode
            for chunk in _chunks(rows):
                records = [
                    {
                        "id": pk,
                        "number": number,
                        "kind": kind,
                        "title": title,
                        "series": series,
                        "due_on": due_on.isoformat() if due_on else None,
                        "action": action,
                        "held_by": held_by,
                    }
                    for pk, number, kind, title, series, due_on, action, held_by in chunk
                ]
                write(("," if total else "") + "\n" + dumps(records)[1:-1], ending="")
                total += len(chunk)
                held += sum(1 for row in chunk if row[7])
            write(f'\n], "total": {total}, "held": {held}}}')
            return
        for chunk in _chunks(rows):
            lines = []
            for _pk, number, _kind, title, series, due_on, action, held_by in chunk:
                mark = f"  HELD by {', '.join(f'#{h}' for h in held_by)}" if held_by else ""
                lines.append(f"{number:<22} {series or '-':<10} {due_on}  {action:<9} {title}{mark}")
            write("\n".join(lines))
            total += len(chunk)
            held += sum(1 for row in chunk if row[7])
        write(f"{total} due, {held} under hold.")


def _chunks(rows: Iterator[tuple[Any, ...]], size: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
    """The rows a few thousand at a time (one write, one JSON encoding per chunk)."""
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
