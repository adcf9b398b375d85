"""Runs the demo history job in a child process, with the real task code (records.tasks.run_job):

    python -m tests.records.demo_history_runner <database name> <job id>

The environment gives settings.test, the parent's data directory and, to kill this process at a
chosen point, RECTORATE_DEMO_HISTORY_CRASH ("<point>:<n>", records.demo.academic.crash_point).
Exit status 0: the job ran to its end; -9: killed as planned.
"""

from __future__ import annotations

import sys

import django


def main(database: str, job_id: int) -> None:
    django.setup()
    from django.db import connections

    connections["default"].settings_dict["NAME"] = database
    from records.tasks import run_job

    result = run_job.call(job_id)
    sys.stdout.write(f"{result}\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
