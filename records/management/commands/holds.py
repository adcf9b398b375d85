"""`manage.py holds list [--json] [--all]`: the legal and audit holds (active ones unless --all)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from records.selectors.holds import hold_scope_text, holds_list


class Command(BaseCommand):
    help = "Holds: list the legal and audit holds that block disposition and re-description."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="List holds (active only unless --all).")
        listing.add_argument("--json", action="store_true", help="one JSON array on stdout")
        listing.add_argument("--all", action="store_true", help="lifted holds too")

    def handle(self, *args: Any, **options: Any) -> None:
        rows: list[dict[str, Any]] = [
            {
                "id": hold.pk,
                "kind": hold.kind,
                "scope": hold.scope,
                "target": hold_scope_text(hold),
                "reason": hold.reason,
                "placed_by": hold.placed_by.get_username(),
                "placed_at": hold.placed_at.isoformat(),
                "lifted_at": hold.lifted_at.isoformat() if hold.lifted_at else None,
            }
            for hold in holds_list(active_only=not options["all"])
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            state = f"lifted {row['lifted_at'][:10]}" if row["lifted_at"] else "active"
            self.stdout.write(
                f"#{row['id']:<5} {row['kind']:<6} {row['scope']:<8} {row['target']:<24} {state:<17} {row['reason']}"
            )
        self.stdout.write(f"{len(rows)} holds.")
