"""`manage.py retention due [--json] [--on DATE] [--series INDEX]`: the records whose retention ran out.

Each line: the registry number, the series, the due date, the action at the end (destroy, review,
transfer) and the holds that keep it. Runs as the system over every record (no permission scope).
Nothing is destroyed here: only a registered disposition act destroys.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.selectors.disposition import due_filings, due_records, due_summary

PAGE = 2000


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
        filings = due_filings(on=on, series=options["series"])
        records: list[dict[str, Any]] = []
        total = filings.count()
        for start in range(0, total, PAGE):
            for due in due_records(filings[start : start + PAGE]):
                records.append(
                    {
                        "id": due.document.pk,
                        "number": due.document.registry_number,
                        "kind": due.document.kind,
                        "title": due.document.title,
                        "series": due.filing.series_index,
                        "due_on": due.filing.due_on.isoformat() if due.filing.due_on else None,
                        "action": due.filing.final_action,
                        "held_by": [hold.pk for hold in due.holds],
                    }
                )
        summary = due_summary(on=on)
        if options["json"]:
            payload = {
                "on": on.isoformat() if on else None,
                "total": len(records),
                "held": sum(1 for r in records if r["held_by"]),
                "by_series": [{"series": s, "action": a, "count": n} for s, a, n in summary.by_series],
                "records": records,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        for r in records:
            held = f"  HELD by {', '.join(f'#{h}' for h in r['held_by'])}" if r["held_by"] else ""
            self.stdout.write(
                f"{r['number']:<22} {r['series'] or '-':<10} {r['due_on']}  {r['action']:<9} {r['title']}{held}"
            )
        self.stdout.write(f"{len(records)} due, {sum(1 for r in records if r['held_by'])} under hold.")
