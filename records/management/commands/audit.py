"""`manage.py audit verify | checkpoint | checkpoints export --out DIR | schedule`.

verify: the hash chain and the access log against every sealed checkpoint; exit 1 naming the first
event that cannot be trusted. checkpoint: seal the chain head now. checkpoints export: copy the
checkpoints and an index.json to a directory (to keep off this machine). schedule: make sure the
worker runs the integrity task (checkpoint + a slice of the fixity check) on its schedule.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from records.errors import RecordsError
from records.selectors.audit import audit_event_count
from records.services.checkpoints import audit_check, audit_checkpoint_take, checkpoints_export
from records.tasks import integrity_schedule


class Command(BaseCommand):
    help = "Audit trail operations: verify the chain, take or export sealed checkpoints, schedule them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Verify the chain and the reads against every checkpoint.")
        verify.add_argument("--no-progress", action="store_true")
        verify.add_argument(
            "--checkpoints", type=Path, help="verify against an exported copy instead of the store"
        )
        sub.add_parser("checkpoint", help="Seal the chain head and the access log now.")
        checkpoints = sub.add_parser("checkpoints", help="Checkpoint store operations.")
        checkpoints_sub = checkpoints.add_subparsers(dest="checkpoints_action", required=True)
        export = checkpoints_sub.add_parser("export", help="Copy every checkpoint and an index.json.")
        export.add_argument("--out", type=Path, required=True)
        sub.add_parser("schedule", help="Make sure the worker runs the scheduled integrity task.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "checkpoint":
            self._checkpoint()
        elif action == "checkpoints":
            checkpoints = checkpoints_export(options["out"])
            self.stdout.write(f"Exported {len(checkpoints)} checkpoints to {options['out']}")
        elif action == "schedule":
            self.stdout.write("Scheduled." if integrity_schedule() else "Already scheduled.")
        else:
            self._verify(options)

    def _checkpoint(self) -> None:
        try:
            checkpoint = audit_checkpoint_take()
        except RecordsError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        assert checkpoint is not None
        self.stdout.write(
            f"Checkpoint {checkpoint.seq}: event #{checkpoint.event_id} ({checkpoint.event_count} events),"
            f" {checkpoint.reads_count} reads, sealed at {checkpoint.taken_at:%Y-%m-%d %H:%M:%S}"
        )

    def _verify(self, options: dict[str, Any]) -> None:
        total = audit_event_count()
        bar = tqdm(
            total=total, unit="ev", disable=options["no_progress"] or not sys.stderr.isatty(), file=sys.stderr
        )
        try:
            report = audit_check(by=None, progress=bar.update, checkpoints_dir=options.get("checkpoints"))
        except RecordsError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        finally:
            bar.close()
        if report.ok:
            self.stdout.write(
                f"OK: {report.checked} events, chain intact; {report.checkpoints} checkpoints"
                f" (the newest seals all but {report.uncovered} events); {report.reads_checked} reads"
                f" ({report.reads_uncovered} not sealed yet)"
            )
            if not report.checkpoints:
                self.stdout.write(
                    "WARNING: no checkpoint: a rewrite of the whole chain would not be noticed."
                )
            return
        where = f"at event #{report.first_broken_id}" if report.first_broken_id else "in the reads"
        self.stdout.write(f"BROKEN {where}: {report.problem} ({report.checked} verified before)")
        sys.exit(1)
