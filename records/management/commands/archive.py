"""`manage.py archive export --series INDEX --out DIR`: a transfer to the archive as a BagIt bag.

Selections: ``--series INDEX`` (a series of the file plan), ``--ids 1,2,3`` (documents by id),
``--kind KIND [--from DATE] [--to DATE]`` (a kind, registered between the dates). The bag is written
under DIR as ``TR-<year>-<n>``; its path is printed on the last line (stdout), progress on stderr.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.errors import RecordsError
from records.models import Job
from records.selectors.transfer import Selection
from records.services.transfer import transfer_export


def _ids(value: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
    except ValueError:
        raise CommandError(f"--ids takes document ids separated by commas, not {value!r}.") from None


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} takes a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Transfers to the archive: `export` writes a series or a selection as a BagIt bag and prints its path."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Export a series or a selection of records as a BagIt bag.")
        export.add_argument("--series", default="", help="index of a series of the file plan")
        export.add_argument("--ids", default="", help="document ids, separated by commas")
        export.add_argument("--kind", default="", help="a document kind (e.g. grade_statement)")
        export.add_argument("--from", dest="date_from", help="registered on or after (YYYY-MM-DD)")
        export.add_argument("--to", dest="date_to", help="registered on or before (YYYY-MM-DD)")
        export.add_argument("--out", required=True, help="directory the bag is written into")

    def handle(self, *args: Any, **options: Any) -> None:
        selection = Selection(
            series=options["series"].strip(),
            ids=_ids(options["ids"]),
            kind=options["kind"].strip(),
            registered_from=_day(options.get("date_from"), "--from"),
            registered_to=_day(options.get("date_to"), "--to"),
        )
        out = Path(options["out"])

        def progress(job: Job) -> None:
            self.stderr.write(f"\r  {job.done + job.failed}/{job.total} parts ({job.percent}%)", ending="")

        try:
            transfer = transfer_export(by=None, selection=selection, out_dir=out, progress=progress)
        except RecordsError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write("")
        self.stderr.write(
            f"{transfer.record_count} records, Payload-Oxum {transfer.payload_oxum}, "
            f"manifest SHA-256 {transfer.manifest_sha256}"
        )
        self.stdout.write(transfer.bag_path)
