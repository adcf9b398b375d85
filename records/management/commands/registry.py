"""`manage.py registry replay [--check]`: rebuild the projections from the registry, or compare.

`manage.py registry verify [--json]`: every version's data against its hash, every blob against its
hash, every registered document's signed PDF through the verifier, the projections against a replay;
exit 1 naming the first problem, 0 with the counts.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.projections.replay import replay
from records.services.fixity import registry_verify
from records.services.students import apply_due_status_changes
from records.tasks import schedule_daily_status_task

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Registry maintenance: `replay` rebuilds every projection from registered documents; "
        "`apply-due` applies the orders coming into force today."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        replay_parser = sub.add_parser(
            "replay", help="Drop and rebuild every projection in registration order."
        )
        replay_parser.add_argument(
            "--check",
            action="store_true",
            help="Rebuild in a rolled-back transaction and compare; exit 1 on any difference.",
        )

        verify_parser = sub.add_parser(
            "verify", help="Check versions, blobs and signed PDFs against their hashes and the projections."
        )
        verify_parser.add_argument("--json", action="store_true", help="print the result as JSON")
        sub.add_parser(
            "apply-due",
            help="Apply the orders whose effective date has come (the daily task) and queue the next daily run.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify(as_json=bool(options.get("json")))
            return
        if options["action"] == "apply-due":
            students = apply_due_status_changes()
            next_run = schedule_daily_status_task()
            self.stdout.write(f"Orders coming into force applied to {students} student(s).")
            if next_run is not None:
                self.stdout.write(f"Next daily run queued for {next_run.isoformat()}.")
            return
        check = bool(options.get("check"))
        report = replay(check=check, progress=lambda n: self.stderr.write(f"  {n} documents replayed"))
        rows = ", ".join(f"{label}: {count}" for label, count in report.rows.items())
        self.stdout.write(f"Replayed {report.documents} documents ({rows}).")
        if not check:
            return
        if not report.differs:
            self.stdout.write("The projections match the registry.")
            return
        for label in report.rows:
            for title, rows_ in (
                ("in the table, not in the replay", report.missing.get(label, [])),
                ("in the replay, not in the table", report.unexpected.get(label, [])),
            ):
                if rows_:
                    self.stdout.write(f"{label}: {len(rows_)} row(s) {title}:")
                    for row in rows_[:SHOWN]:
                        self.stdout.write(f"  {row!r}")
        raise CommandError("The projections differ from the registry.", returncode=1)

    def _verify(self, *, as_json: bool) -> None:
        report = registry_verify(
            by=None, progress=lambda stage, n: self.stderr.write(f"  {stage}: {n} checked")
        )
        if as_json:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            counts = ", ".join(f"{stage}: {n}" for stage, n in report.counts.items())
            if report.ok:
                self.stdout.write(f"OK: {counts}.")
            else:
                self.stdout.write(f"PROBLEM: {report.problems[0]}")
                if len(report.problems) > 1:
                    self.stdout.write(f"  and {len(report.problems) - 1} more; checked {counts}.")
        if not report.ok:
            raise CommandError(report.problems[0], returncode=1)
