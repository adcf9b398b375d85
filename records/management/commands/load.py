"""`manage.py load plan --department CODE --year YYYY [--json]` and
`manage.py load done --department CODE --year YYYY --semester N [--json]`: a department's teaching load.

`plan`: the registered calculation's hours by kind of work and the registered distribution per
teacher (with each teacher's limit). `done`: the term's plan and what was done, per teacher and kind
(records.selectors.teaching). Runs as the system: no user, no permission scope.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.selectors.teaching import LoadSummary, department_by_code, load_done, load_plan


class Command(BaseCommand):
    help = "Print a department's planned teaching load (plan) or its execution in a term (done)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("plan", "planned hours"), ("done", "plan and done in a term")):
            action = sub.add_parser(name, help=f"Print the department's {text}.")
            action.add_argument("--department", required=True, help="department code")
            action.add_argument("--year", type=int, required=True, help="first year of the academic year")
            if name == "done":
                action.add_argument("--semester", type=int, required=True, choices=[1, 2])
            action.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        department = department_by_code(options["department"])
        if department is None:
            raise CommandError(f"There is no department {options['department']!r}.")
        if options["action"] == "plan":
            summary = load_plan(department, options["year"])
        else:
            summary = load_done(department, options["year"], options["semester"])
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
            return
        self._print(summary, done=options["action"] == "done")

    def _print(self, summary: LoadSummary, *, done: bool) -> None:
        term = f", semester {summary.term}" if summary.term else ""
        self.stdout.write(
            f"{summary.department_code} {summary.department_name}, {summary.year}–{summary.year + 1}{term}"
        )
        self.stdout.write(
            f"Calculation {summary.calculation_number or '—'}, distribution {summary.distribution_number or '—'}"
        )
        done_by_kind = summary.done_by_kind
        for kind, value in summary.by_kind.items():
            extra = f"  done {done_by_kind.get(kind, 0)}" if done else ""
            self.stdout.write(f"  {kind:<22} {value:>10}{extra}")
        self.stdout.write(f"  {'total':<22} {summary.total:>10}  assigned {summary.assigned}")
        for teacher in summary.teachers:
            extra = f"  done {teacher.done_total}" if done else ""
            self.stdout.write(f"  {teacher.name:<40} {teacher.planned_total:>10} / {teacher.limit}{extra}")
