"""Test profile: tasks run immediately; PostgreSQL when RECTORATE_TEST_DATABASE_URL is set."""

import os
import tempfile
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

# A child process of a test (crash-injection tests) shares its parent's data directory.
DATA_DIR = Path(os.environ.get("RECTORATE_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="rectorate-test-"))
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    **STORAGES,
    "blobs": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "blobs")},
    },
}
RECTORATE_SEARCH_INDEX_DIR = DATA_DIR / "index"
RECTORATE_PKI_DIR = DATA_DIR / "pki"
RECTORATE_TRANSFER_DIR = DATA_DIR / "transfers"

if os.environ.get("RECTORATE_TEST_DATABASE_URL"):
    DATABASES = {"default": dict(dj_database_url.parse(os.environ["RECTORATE_TEST_DATABASE_URL"]))}
else:
    # A file, as in production (WAL, the write lock between connections), not shared-cache memory.
    DATABASES = {
        "default": {
            **DATABASES["default"],
            "NAME": DATA_DIR / "test.sqlite3",
            "TEST": {"NAME": str(DATA_DIR / "test-db.sqlite3")},
        }
    }

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
RECTORATE_CONVERTER_POOL_SIZE = 1
# Tests run tasks at once: the reports prepared after signing would validate inside every signing
# test. The tests of that precompute turn it on (tests/records/test_verification_precompute.py).
RECTORATE_VERIFY_PRECOMPUTE = False

# The cache of this test run only (base.py's points into the checkout's data directory); it is emptied
# before each test (tests/conftest.py), as the database is rolled back after each.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}
