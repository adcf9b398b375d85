"""`manage.py signatures renew [--margin-days N]`: archival re-timestamping of registered documents."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from records.services.archival import renew_expiring


class Command(BaseCommand):
    help = (
        "Add a fresh document timestamp to registered documents whose timestamp chain expires within the margin; "
        "first the local TSA gets a new certificate when its own ends within the margin. "
        "Runs as the system over every document (no user, no permission scope); each renewal is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        renew = sub.add_parser("renew")
        renew.add_argument(
            "--margin-days", type=int, default=730, help="renew when the chain expires within N days"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bar = tqdm(unit="doc", file=sys.stderr, disable=not sys.stderr.isatty())
        report = renew_expiring(margin_days=options["margin_days"], progress=lambda n: bar.update(1))
        bar.close()
        if report.tsa_renewed_until is not None:
            self.stdout.write(
                f"local TSA certificate renewed (new key), valid until {report.tsa_renewed_until.date().isoformat()}"
            )
        self.stdout.write(
            f"checked {report.checked}, renewed {report.renewed}, failed {len(report.failed or {})}"
        )
        for pk, reason in (report.failed or {}).items():
            self.stdout.write(f"  document {pk}: {reason}")
        if report.failed:
            sys.exit(1)
