"""`manage.py documents rerender <ref> [--check]` and `documents export <ref> --out FILE.pdf`."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doctemplates.provenance import pdf_text
from records.errors import RecordsError
from records.models import Document
from records.selectors.document import document_find_for_operator
from records.services.exports import document_pdf_export
from records.services.rendering import version_render


def _find(ref: str) -> Document:
    document = document_find_for_operator(ref)
    if document is None:
        raise CommandError(f"No document with number, code or id {ref!r}.")
    return document


class Command(BaseCommand):
    help = (
        "Operator tools for documents: re-render and compare, export the current PDF. "
        "Runs as the system with access to every document (no user, no permission scope)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rerender = sub.add_parser("rerender", help="Render the frozen version again and compare its text.")
        rerender.add_argument("ref")
        rerender.add_argument("--check", action="store_true", help="exit 1 when the text differs")
        export = sub.add_parser("export", help="Write the current PDF (the signed one once there is one).")
        export.add_argument("ref")
        export.add_argument("--out", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        document = _find(options["ref"])
        if options["action"] == "export":
            try:
                pdf = document_pdf_export(by=None, document=document, destination=options["out"])
            except RecordsError as exc:  # the stored file is corrupt or missing
                raise CommandError(exc.message) from exc
            if pdf is None:
                raise CommandError(f"Document {options['ref']} has no PDF yet (it is rendered at approval).")
            Path(options["out"]).write_bytes(pdf)
            self.stdout.write(f"Wrote {len(pdf)} bytes to {options['out']}")
            return
        version = document.current_version
        if version is None or version.pdf_blob is None:
            raise CommandError(f"Document {options['ref']} has no rendered version to compare with.")
        try:
            _docx, pdf, _prov = version_render(document=document, version=version, store=False)
        except RecordsError as exc:
            raise CommandError(exc.message) from exc
        stored = pdf_text(version.pdf_blob.read()).split()
        fresh = pdf_text(pdf).split()
        if stored == fresh:
            self.stdout.write(f"OK: the re-rendered text of v{version.number} matches what was stored.")
            return
        diff = difflib.unified_diff(stored, fresh, "stored", "re-rendered", lineterm="", n=2)
        self.stdout.write("DIFFERENT: the re-rendered text differs from the stored one:")
        for line in list(diff)[:60]:
            self.stdout.write("  " + line)
        if options["check"]:
            sys.exit(1)
