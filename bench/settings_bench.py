"""Settings for the replay benchmarks: the test profile on a fixed database file (RECTORATE_BENCH_DB).

With RECTORATE_TEST_DATABASE_URL set the test profile's PostgreSQL database is used instead.
"""

import os

from settings.test import *  # noqa: F403
from settings.test import DATABASES

if not os.environ.get("RECTORATE_TEST_DATABASE_URL"):
    DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["RECTORATE_BENCH_DB"]}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
