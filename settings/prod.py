"""Production profile on real engines, everything from the environment (deploy/rectorate.env.example):

- ``DATABASE_URL`` (PostgreSQL), ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``;
- ``RECTORATE_SEARCH_BACKEND=elasticsearch`` with ``RECTORATE_ELASTICSEARCH_URL``;
- ``RECTORATE_CONVERTER_POOL_SIZE`` (LibreOffice converters per task worker);
- ``RECTORATE_BLOB_DIR`` (blob storage every web and task process shares), ``RECTORATE_DATA_DIR``,
  ``RECTORATE_CACHE_DIR``;
- the number of web workers (gunicorn ``WEB_CONCURRENCY``) and of task workers (systemd instances
  of ``rectorate-worker@``) are chosen in deploy/, not here.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, STORAGES

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a long random value in production")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must name the production database (postgres://...)")
DATABASES = {
    "default": dict(dj_database_url.config(env="DATABASE_URL", conn_max_age=600, conn_health_checks=True))
}

# Static files from the WSGI server itself (WhiteNoise), compressed and with hashed names.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MANIFEST_STRICT = False

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Reads are written by a flusher thread in batches, never in the request (records/services/audit.py).
RECTORATE_ACCESS_LOG_BATCH = 200
RECTORATE_ACCESS_LOG_WAIT = 1.0
