"""`manage.py audit verify`: check the whole hash chain; exit 1 naming the first broken event."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from records.models import AuditEvent
from records.services.audit import audit_record, audit_verify


class Command(BaseCommand):
    help = "Audit trail operations: verify the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEvent.objects.count()
        bar = tqdm(
            total=total, unit="ev", disable=options["no_progress"] or not sys.stderr.isatty(), file=sys.stderr
        )
        report = audit_verify(progress=bar.update)
        bar.close()
        audit_record(actor=None, action="audit.verify", changes={"ok": report.ok, "checked": report.checked})
        if report.ok:
            self.stdout.write(f"OK: {report.checked} events, chain intact")
            return
        self.stdout.write(
            f"BROKEN at event #{report.first_broken_id}: {report.problem} ({report.checked} verified before)"
        )
        sys.exit(1)
