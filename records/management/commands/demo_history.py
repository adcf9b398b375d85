"""`manage.py demo_history resume`: queue the demo history again when it was left stopped, failed, or
"running" by a process that is gone (./scripts/run calls it when a task worker died and was restarted)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from records.demo.history import demo_history_job, demo_history_resume
from records.models import Job


class Command(BaseCommand):
    help = (
        "Resume the demo history when its process is gone (stopped, failed, or running without a heartbeat)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["resume"])

    def handle(self, *args: Any, **options: Any) -> None:
        job = demo_history_job()
        if job is None or job.state == Job.State.DONE:
            return
        if demo_history_resume(job) is not None:
            self.stdout.write(
                f"The demo history (job {job.pk}) was queued again; it goes on from its last step."
            )
