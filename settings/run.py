"""Run profile (./scripts/run): the embedded defaults (SQLite, local index, local PKI) served the way
production serves them — DEBUG off, static files from the WSGI server (WhiteNoise), a secret key
generated once into the data directory."""

import os
from pathlib import Path

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES, MIDDLEWARE, STORAGES

DEBUG = False


def _secret_key(path: Path) -> str:
    """The key from DJANGO_SECRET_KEY, else the one kept in the data directory (made on first use)."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    key = get_random_secret_key() + get_random_secret_key()
    with os.fdopen(fd, "w") as out:
        out.write(key)
    return key


SECRET_KEY = _secret_key(DATA_DIR / "secret_key")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", *os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")]
ALLOWED_HOSTS = [h.strip() for h in ALLOWED_HOSTS if h.strip()]

# Static files from the WSGI server itself, compressed and with hashed names (collectstatic first).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MANIFEST_STRICT = False
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Connections kept per web worker (no reconnect per request); DATABASE_URL, when set, points the
# same profile at PostgreSQL (bench/bench_load.py --db postgres).
if os.environ.get("DATABASE_URL"):
    import dj_database_url

    DATABASES = {
        "default": dict(dj_database_url.config(env="DATABASE_URL", conn_max_age=600, conn_health_checks=True))
    }
else:
    DATABASES = {"default": {**DATABASES["default"], "CONN_MAX_AGE": 600}}

# Reads are written by a flusher thread in batches, never in the request (records/services/audit.py).
RECTORATE_ACCESS_LOG_BATCH = 200
RECTORATE_ACCESS_LOG_WAIT = 1.0
