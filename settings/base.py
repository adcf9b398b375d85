"""Settings shared by every profile: dev (default), test and prod."""

import datetime as dt
import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("RECTORATE_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "records",
    "doctemplates",
    "signing",
    "search",
    "django_tasks",
    "django_tasks_db",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "records.middleware.UserLanguageMiddleware",
    "records.middleware.StudentPortalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "records.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# The front door: password guessing is throttled by account and by address (django-axes). After
# AXES_FAILURE_LIMIT failed sign-ins for one user name, or from one address, within the cool-off
# period, sign-in is refused (429, records.portal.signin.lockout_response) until it has passed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "records.portal.signin.lockout_response"
AXES_RESET_ON_SUCCESS = False  # with the address as a parameter, a success would wipe the address's count
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Messages live in the session, so signing out (which flushes the session) drops them with the user.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ROOT_URLCONF = "settings.urls"
WSGI_APPLICATION = "settings.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "rectorate.sqlite3",
        # WAL: readers never wait for the writer. Writers queue for up to 30 s (busy timeout) and take
        # the write lock at BEGIN (IMMEDIATE), so a transaction never fails half-way on upgrading it.
        # No slow work (rendering, conversion) runs inside a transaction, so the queue stays short.
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["settings.formats"]  # Kazakh date formats (Django has none for kk)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "blobs": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "blobs")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# --- Serving (helper serving): shared blob path, a cache shared by the web processes, sessions ---
# Blobs on a path every web and task process sees (an NFS/CephFS mount when there are several hosts).
if os.environ.get("RECTORATE_BLOB_DIR"):
    STORAGES["blobs"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ["RECTORATE_BLOB_DIR"]},
    }
# A cache every process of this machine shares (a directory); several hosts point it at a shared
# directory or replace it with memcached/Redis. Sessions are read from it, so a signed-in request
# costs no session query; writes go to the database too (cached_db), so signing out is seen by
# every worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("RECTORATE_CACHE_DIR", str(DATA_DIR / "cache")),
        "TIMEOUT": 60 * 60 * 24,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# --- end of the serving block ---

# Uploads are hostile until parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
RECTORATE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

LOGIN_URL = "/admin/login/"

WAGTAIL_SITE_NAME = _("Electronic Rectorate")
WAGTAILADMIN_BASE_URL = os.environ.get("RECTORATE_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx"]

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# Capabilities, chosen by settings.
RECTORATE_SEARCH_BACKEND = os.environ.get("RECTORATE_SEARCH_BACKEND", "tantivy")
RECTORATE_SEARCH_INDEX_DIR = DATA_DIR / "index"
RECTORATE_ELASTICSEARCH_URL = os.environ.get("RECTORATE_ELASTICSEARCH_URL", "")
RECTORATE_PKI_DIR = DATA_DIR / "pki"
RECTORATE_TSA_URL = os.environ.get("RECTORATE_TSA_URL", "")
# The organisation seal from its own PKCS#12 (e.g. the university's NCA organisation key), kept away
# from the local PKI directory and its TSA key; empty: the local PKI's seal.key.pem.
# Download revocation data (CRL/OCSP) of chains the local PKI does not publish when signing B-LTA:
# needed with an external TSA or imported keys; the embedded default signs offline.
RECTORATE_REVOCATION_FETCHING = os.environ.get("RECTORATE_REVOCATION_FETCHING", "") in ("1", "true", "yes")
RECTORATE_SEAL_PKCS12 = os.environ.get("RECTORATE_SEAL_PKCS12", "")
RECTORATE_SEAL_PASSPHRASE = os.environ.get("RECTORATE_SEAL_PASSPHRASE", "")
# The worker seals a checkpoint of the audit chain and runs a slice of the fixity check this often.
# When a document's signing or archive timestamping completes, the worker computes its verification
# report (every language) so the report page reads it instead of validating while a person waits.
RECTORATE_VERIFY_PRECOMPUTE = os.environ.get("RECTORATE_VERIFY_PRECOMPUTE", "1") in ("1", "true", "yes")
RECTORATE_INTEGRITY_INTERVAL_MINUTES = int(os.environ.get("RECTORATE_INTEGRITY_INTERVAL_MINUTES", "60"))
# Where bags exported to the archive from the back office are written.
RECTORATE_TRANSFER_DIR = Path(os.environ.get("RECTORATE_TRANSFER_DIR", DATA_DIR / "transfers"))
RECTORATE_SEARCH_PROJECTOR = "records.search_projection.project"
RECTORATE_SEARCH_SOURCE = "records.search_projection.all_documents"
RECTORATE_CONVERTER_POOL_SIZE = int(os.environ.get("RECTORATE_CONVERTER_POOL_SIZE", os.cpu_count() or 1))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        "pyhanko": {"level": "WARNING"},
        "bagit": {"level": "WARNING"},  # one line per file of a bag otherwise
    },
}
