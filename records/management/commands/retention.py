"""`manage.py retention due [--json] [--on DATE] [--series INDEX]`: the records whose retention ran out.

Each line: the registry number, the series, the due date, the action at the end (destroy, review,
transfer) and the holds that keep it. Runs as the system over every record (no permission scope),
streaming (one query, no model instances; bench/bench_retention_due.py). Nothing is destroyed here:
only a registered disposition act destroys.
"""

from __future__ import annotations

import datetime as dt
import json
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
            for row in rows:
                write(("," if total else "") + "\n" + json.dumps(row, ensure_ascii=False), ending="")
                total += 1
                held += bool(row["held_by"])
            write(f'\n], "total": {total}, "held": {held}}}')
            return
        for row in rows:
            mark = f"  HELD by {', '.join(f'#{h}' for h in row['held_by'])}" if row["held_by"] else ""
            write(
                f"{row['number']:<22} {row['series'] or '-':<10} {row['due_on']}  {row['action']:<9} {row['title']}{mark}"
            )
            total += 1
            held += bool(row["held_by"])
        write(f"{total} due, {held} under hold.")
