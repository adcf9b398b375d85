"""`manage.py verify FILE.pdf [--json]`: exit 0 only when every signature is good and the document is in force."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from records.selectors.verification import UnreadablePdf
from records.services.verification import operator_verify


class Command(BaseCommand):
    help = (
        "Verify a signed PDF: signatures (intact, valid, trusted) and registry status. Exit 0/1/2. "
        "Runs as the system (no user): it reports what the public verification page reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pdf = Path(options["file"]).read_bytes()
            result = operator_verify(by=None, pdf=pdf)
        except (OSError, UnreadablePdf) as exc:
            self.stderr.write(f"cannot read {options['file']}: {exc}")
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(full=True), ensure_ascii=False, indent=2))
        else:
            verdict = "VALID" if result.ok else "NOT VALID"
            self.stdout.write(f"{verdict}: authentic={result.authentic} in_force={result.in_force}")
            if result.registry.found:
                self.stdout.write(
                    f"  {result.registry.kind} {result.registry.number} — {result.registry.state_label}"
                )
            for signer in result.signers:
                self.stdout.write(
                    f"  signed by {signer['name']} ({signer['role']}) at {signer['time']}: ok={signer['ok']}"
                )
            for problem in result.problems:
                self.stdout.write(f"  ! {problem}")
        sys.exit(0 if result.ok else 1)
