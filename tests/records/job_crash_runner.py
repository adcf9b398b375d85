"""Runs one background job in a child process that kills itself (SIGKILL) at a chosen step.

    python -m tests.records.job_crash_runner <database name> <job id> <step> <item number> [passphrase]

Steps: "before_item" (between two items), "inside_item" (inside the item's transaction, at its
first audit event: nothing of the item may survive), "after_item" (the item committed, its result
not yet saved in the job). The environment gives settings.test and the parent's data directory.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import django


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(database: str, job_id: int, step: str, at: int, passphrase: str = "") -> None:
    django.setup()
    from django.db import connections

    connections["default"].settings_dict["NAME"] = database
    from records.models import Job
    from records.services import audit, diplomas, jobs, signature
    from records.services import document as engine

    job = Job.objects.get(pk=job_id)
    handler = jobs.HANDLERS[job.kind]
    count = {"items": 0}

    def process(job: Job, item: str) -> None:
        count["items"] += 1
        if count["items"] == at and step == "before_item":
            _die()
        handler.process(job, item)
        if count["items"] == at and step == "after_item":
            _die()

    def audit_then_die(*args: Any, **kwargs: Any) -> Any:
        if count["items"] == at:
            _die()
        return audit.audit_record(*args, **kwargs)

    if step == "inside_item":
        signature.audit_record = audit_then_die  # type: ignore[assignment]
        diplomas.audit_record = audit_then_die  # type: ignore[assignment]
        engine.audit_record = audit_then_die  # type: ignore[assignment]  # the lifecycle engine's events
    jobs.HANDLERS[job.kind] = jobs.JobHandler(items=handler.items, process=process, label=handler.label)
    if passphrase:
        from records.services import batch_signing

        batch_signing._PASSPHRASES[job_id] = batch_signing._Held(passphrase)
    jobs.job_run(job_id)
    sys.exit(3)  # the crash never came: the test fails on this exit status


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), *sys.argv[5:6])
