"""`manage.py reports build KIND --as-of YYYY-MM-DD [--scope UNIT] [--json]`: a report's figures, fresh."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.errors import RecordsError
from records.selectors.reports import REPORT_KINDS, compute
from records.services.reports import report_unit


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Compute a report's figures from the projections as of a date and print them (the same "
        "computation a registered report froze). Runs as the system: no user, no permission scope."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="Print the figures of a report.")
        build.add_argument("kind", choices=sorted(REPORT_KINDS))
        build.add_argument("--as-of", required=True, help="YYYY-MM-DD (the contingent report: 1 October)")
        build.add_argument("--scope", default="", help="unit code (the whole university when absent)")
        build.add_argument("--from", dest="date_from", default="", help="start of the period (movement)")
        build.add_argument("--term", default="", help="YYYY-P, e.g. 2025-1 (session results)")
        build.add_argument("--year", type=int, default=None, help="academic year YYYY (teaching load)")
        build.add_argument(
            "--registered-by",
            default="",
            help="YYYY-MM-DD: the registry as it stood at the end of this day (default: the as-of date)",
        )
        build.add_argument("--language", default="ru", choices=["kk", "ru", "en"])
        build.add_argument("--json", action="store_true", help="print the whole data as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"])
        term = None
        if options["term"]:
            try:
                year, period = (int(x) for x in options["term"].split("-"))
            except ValueError:
                raise CommandError(f"Not a term (YYYY-P): {options['term']!r}.") from None
            term = (year, period)
        try:
            unit = report_unit(options["scope"])
        except RecordsError as exc:
            raise CommandError(exc.message) from None
        try:
            data = compute(
                options["kind"],
                as_of=as_of,
                unit=unit,
                language=options["language"],
                date_from=_date(options["date_from"]) if options["date_from"] else None,
                term=term,
                year=options["year"],
                registered_by=_date(options["registered_by"]) if options["registered_by"] else None,
            )
        except RecordsError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"as of {data['as_of']}  policy {data['policy_version']}  digest {data['projection_digest']}"
        )
        for table in data["tables"]:
            self.stdout.write("")
            self.stdout.write(table["title"])
            self.stdout.write("\t".join(table["header"]))
            for row in table["rows"]:
                self.stdout.write("\t".join("" if c is None else str(c) for c in row))
        for note in data["notes"]:
            self.stdout.write("")
            self.stdout.write(note)
