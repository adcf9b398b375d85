"""`manage.py seed_demo [--students N] [--seed S]`: a deterministic demo university."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.demo import academic as demo_academic
from records.demo.archive import seed_archive
from records.demo.documents import seed_documents, seed_signed_academic
from records.demo.fileplan import seed_file_plan
from records.demo.journal import seed_journals
from records.demo.pki import SIGNING_ROLES, bootstrap_pki, demo_passphrase
from records.demo.reports import seed_load_report, seed_reports
from records.demo.seed import DEMO_PASSWORD, seed_demo
from records.demo.teaching import seed_teaching
from records.selectors.org import org_is_empty


class Command(BaseCommand):
    help = "Create a demo university (faculties, departments, programmes, groups, staff, students)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--no-documents",
            action="store_true",
            help="skip the demo documents (they need LibreOffice and the PKI)",
        )
        parser.add_argument(
            "--unsigned-statements",
            action="store_true",
            help="register the history's exam statements in bulk (no rendering, no signatures; faster)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not org_is_empty():
            raise CommandError(
                "The database already has an org structure; seed_demo runs on an empty database."
            )
        if options["students"] < 0:
            raise CommandError("--students must be 0 or more")
        result = seed_demo(students=options["students"], seed=options["seed"])
        self.stdout.write(f"Demo university created: {result.students} students.")
        if not options["no_documents"]:
            bootstrap_pki()
            self.stdout.write(f"Demo documents: {seed_documents()} (rendered, signed, registered).")
            self.stdout.write(f"File plan: {seed_file_plan()}.")

            signed = not options["unsigned_statements"]
            academic = demo_academic.seed_academic(
                seed=options["seed"], signed=signed, progress=demo_academic.progress_printer(self.stdout)
            )
            self.stdout.write(
                f"Demo academic history: {sum(academic.documents.values())} registered documents, "
                f"{academic.signed_statements} statements signed through their route."
            )

            self.stdout.write(f"Signed academic documents: {', '.join(seed_signed_academic()) or 'none'}.")

            self.stdout.write(f"Registered reports: {', '.join(seed_reports()) or 'none'}.")
            self.stdout.write(f"Teaching load: {seed_teaching()} (registered in bulk).")
            self.stdout.write(f"Demo journals and their statements: {seed_journals(seed=options['seed'])}.")
            self.stdout.write(
                f"Scholarship orders and the teaching-load report: {', '.join(seed_load_report()) or 'none'}."
            )
            self.stdout.write(f"Archive: {seed_archive()}.")
        print_logins(self.stdout, result.logins)


def print_logins(out: Any, logins: list[tuple[str, str, str]]) -> None:
    out.write(f"Demo logins (password for all: {DEMO_PASSWORD}); officials sign with their key passphrase:")
    for role, username, scope in logins:
        key = demo_passphrase(username) if role in SIGNING_ROLES else "-"
        out.write(f"  {role:<20} {username:<14} key: {key:<22} {scope}")
