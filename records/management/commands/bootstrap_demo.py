"""Used by scripts/run: seed the demo university when the database is empty, then print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from records.demo import academic as demo_academic
from records.demo.archive import seed_archive
from records.demo.documents import seed_documents, seed_signed_academic
from records.demo.fileplan import seed_file_plan
from records.demo.history import demo_history_start
from records.demo.seed import seed_demo
from records.demo.teaching import seed_teaching
from records.management.commands.seed_demo import print_logins
from records.selectors.org import org_is_empty, role_assignments
from records.tasks import integrity_schedule


class Command(BaseCommand):
    help = "Seed the demo university if the database is empty; print one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background-history",
            action="store_true",
            help="leave the academic history (signed statements) to the task worker "
            "(its progress is on the dashboard) instead of registering it before returning",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if org_is_empty():
            self.stdout.write("Seeding the demo university (2,000 students)...")
            result = seed_demo()
            logins = result.logins
        else:
            logins = []
            seen: set[str] = set()
            for ra in role_assignments():
                if ra.role not in seen and ra.person.user is not None:
                    seen.add(ra.role)
                    logins.append((ra.role, ra.person.user.username, ra.org_unit.name_en))
        call_command("bootstrap_pki", stdout=self.stdout)

        integrity_schedule()  # the worker seals audit checkpoints and runs the fixity check on a schedule

        created = seed_documents()
        if created:
            self.stdout.write(f"Created {created} demo documents (rendered, signed, registered).")
            # Before the history, so every document it registers is filed in a series.
            self.stdout.write(f"File plan: {seed_file_plan()}.")
        if options["background_history"]:
            if demo_history_start() is not None:
                self.stdout.write(
                    "The demo academic history (orders, signed exam statements) is registered by the "
                    "task worker now; its progress is on the dashboard."
                )
        elif created:
            self.stdout.write(
                "Registering the demo academic history (orders, policy, curricula in bulk; "
                "exam statements rendered and signed through their route)..."
            )
            academic = demo_academic.seed_academic(progress=demo_academic.progress_printer(self.stdout))
            self.stdout.write(
                f"  {sum(academic.documents.values())} registered documents, "
                f"{academic.signed_statements} statements signed by examiner, head and registrar."
            )

            self.stdout.write(f"  signed: {', '.join(seed_signed_academic()) or 'none'}.")
            self.stdout.write(f"  teaching load: {seed_teaching()} (registered in bulk).")
            self.stdout.write(f"  archive: {seed_archive()}.")
        print_logins(self.stdout, logins)
